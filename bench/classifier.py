"""Classifier throughput: `classify_priority` vs a raw pyahocorasick scan of the same keywords.

100,000 generated mixed Arabic/English ticket texts of ~76 characters (seeded): most match no
keyword; some carry a P0, P1, escalation or P2 keyword, some a negated P0 keyword, some Arabic
diacritics or tatweel. The raw baseline builds one automaton of the same keywords, lower-cased,
and keeps the lowest-index hit of `text.lower()`: the least any keyword classifier can do.
Target: ours ≥ 0.5× raw.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import ahocorasick

from customer_ops.domain.priority import (
    ESCALATION_KEYWORDS,
    P0_KEYWORDS,
    P1_KEYWORDS,
    P2_KEYWORDS,
    classify_priority,
)

TEXTS = 100_000
TARGET_CHARS = 76
SEED = 20261122
TARGET_RATIO = 0.5
ROUNDS = 5

# Everyday ticket words that contain no keyword (checked at generation time).
ARABIC_WORDS = (
    "مرحبا",
    "عندي",
    "سؤال",
    "بخصوص",
    "الفاتورة",
    "الشهر",
    "الماضي",
    "هل",
    "يمكن",
    "تحديث",
    "بيانات",
    "الشركة",
    "شكرا",
    "لكم",
    "على",
    "المتابعة",
    "نحتاج",
    "اجتماع",
    "الأسبوع",
    "القادم",
    "العرض",
    "السعر",
    "الباقة",
    "العميل",
    "الفريق",
    "التقرير",
    "الرسائل",
    "موعد",
    "اليوم",
    "غدا",
    "من",
    "في",
    "مع",
    "إلى",
    "عن",
    "كيف",
    "متى",
    "لماذا",
    "أرجو",
    "الرد",
    "بسرعة",
    "تمام",
)
ENGLISH_WORDS = (
    "hello",
    "team",
    "please",
    "update",
    "the",
    "invoice",
    "for",
    "last",
    "month",
    "can",
    "you",
    "check",
    "our",
    "report",
    "meeting",
    "next",
    "week",
    "thanks",
    "question",
    "about",
    "pricing",
    "pilot",
    "dashboard",
    "export",
    "contacts",
    "list",
    "today",
    "tomorrow",
    "when",
    "is",
    "my",
)
NEGATED_P0 = ("لا يوجد تسريب", "ما في أي تسريب", "no leak", "not a data breach", "لم يحدث أمان")
DIACRITIC_WORDS = ("تَسْرِيب", "أَمَان", "شُكْراً", "مَرْحَباً", "الفـــاتورة", "سُؤَال", "عَاجِل")
# Share of each kind of text; the rest match nothing.
MIX = (
    ("p0", 0.06, P0_KEYWORDS),
    ("p1", 0.04, P1_KEYWORDS),
    ("escalation", 0.02, ESCALATION_KEYWORDS),
    ("p2", 0.08, P2_KEYWORDS),
    ("negated", 0.04, NEGATED_P0),
    ("diacritics", 0.06, DIACRITIC_WORDS),
)
ALL_KEYWORDS: tuple[str, ...] = (*P0_KEYWORDS, *P1_KEYWORDS, *ESCALATION_KEYWORDS, *P2_KEYWORDS)


def _filler(rng: random.Random, chars: int) -> list[str]:
    words: list[str] = []
    length = 0
    arabic = rng.random() < 0.6
    while length < chars:
        pool = ARABIC_WORDS if (rng.random() < 0.8) == arabic else ENGLISH_WORDS
        word = rng.choice(pool)
        words.append(word)
        length += len(word) + 1
    return words


def generate_texts(*, count: int = TEXTS, seed: int = SEED) -> tuple[list[str], Counter[str]]:
    """`count` ticket texts of about TARGET_CHARS characters, and how many of each kind."""
    rng = random.Random(seed)
    kinds: Counter[str] = Counter()
    texts: list[str] = []
    lowered_keywords = [keyword.lower() for keyword in ALL_KEYWORDS]
    for _ in range(count):
        roll = rng.random()
        kind, insert = "plain", ""
        for name, share, pool in MIX:
            if roll < share:
                kind, insert = name, rng.choice(pool)
                break
            roll -= share
        words = _filler(rng, TARGET_CHARS - len(insert) - 1 if insert else TARGET_CHARS)
        if insert:
            words.insert(rng.randrange(len(words) + 1), insert)
        text = " ".join(words)
        if kind == "plain" and any(keyword in text.lower() for keyword in lowered_keywords):
            raise RuntimeError(f"filler words contain a keyword: {text}")
        kinds[kind] += 1
        texts.append(text)
    return texts, kinds


def raw_automaton(keywords: Sequence[str]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for index, keyword in enumerate(keywords):
        automaton.add_word(keyword.lower(), index)
    automaton.make_automaton()
    return automaton


def run_raw(texts: Sequence[str], automaton: ahocorasick.Automaton) -> int:
    """The baseline: lowest-index keyword of each lower-cased text; returns how many hit."""
    none = len(ALL_KEYWORDS)
    hits = 0
    for text in texts:
        best = none
        for _end, index in automaton.iter(text.lower()):
            if index < best:
                best = index
        hits += best < none
    return hits


def run_ours(texts: Sequence[str]) -> int:
    """`classify_priority` on each text; returns how many got a keyword."""
    hits = 0
    for text in texts:
        hits += classify_priority(text).matched_keyword is not None
    return hits


def _best_rates(runs: dict[str, Callable[[], int]], count: int, rounds: int) -> dict[str, float]:
    """texts/s of each run, best of `rounds`, alternating the order so load drift hits both."""
    best = dict.fromkeys(runs, float("inf"))
    order = list(runs)
    for _ in range(rounds):
        for name in order:
            started = time.perf_counter()
            runs[name]()
            best[name] = min(best[name], time.perf_counter() - started)
        order.reverse()
    return {name: count / seconds for name, seconds in best.items()}


def main() -> dict[str, Any]:
    texts, kinds = generate_texts()
    mean_chars = sum(map(len, texts)) / len(texts)
    automaton = raw_automaton(ALL_KEYWORDS)
    run_ours(texts[:2000])  # warm-up
    run_raw(texts[:2000], automaton)

    rates = _best_rates(
        {"ours": lambda: run_ours(texts), "raw": lambda: run_raw(texts, automaton)},
        len(texts),
        ROUNDS,
    )
    ours_rate, raw_rate = rates["ours"], rates["raw"]
    our_hits, raw_hits = run_ours(texts), run_raw(texts, automaton)
    ratio = ours_rate / raw_rate
    priorities = Counter(classify_priority(text).priority.value for text in texts)

    print("(a) classifier throughput", flush=True)
    print(
        f"    {len(texts):,} texts, mean {mean_chars:.1f} chars, seed {SEED}; mix: "
        + ", ".join(f"{kind} {n:,}" for kind, n in sorted(kinds.items()))
    )
    print(f"    {len(ALL_KEYWORDS)} keywords; best of {ROUNDS} alternating rounds each")
    print(
        f"    classify_priority:      {ours_rate:>12,.0f} texts/s   "
        f"(keyword hits {our_hits:,}; "
        + ", ".join(f"{p} {priorities[p]:,}" for p in sorted(priorities))
        + ")"
    )
    print(f"    raw pyahocorasick scan: {raw_rate:>12,.0f} texts/s   (raw hits {raw_hits:,})")
    verdict = "meets" if ratio >= TARGET_RATIO else "BELOW"
    print(
        f"    ratio ours/raw:         {ratio:>12.2f}×          ({verdict} target ≥ {TARGET_RATIO}×)"
    )
    return {
        "classifier_texts_per_s": ours_rate,
        "raw_texts_per_s": raw_rate,
        "classifier_ratio": ratio,
    }


if __name__ == "__main__":
    main()
