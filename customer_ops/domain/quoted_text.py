"""Quoted history in an email reply: cut for display and classification (the full text is kept).

Mail clients put the earlier conversation under the new words, introduced by a line such as
"On Mon, 1 Mar 2026, Sara <sara@x.sa> wrote:", "في ٢٠٢٦/٣/١ كتب سارة:", an Outlook header block
("From: … / Sent: …"), "-----Original Message-----", or as lines starting with ">". The reply
is what comes before the first of these. A message that is nothing but a quote keeps its text.
"""

from __future__ import annotations

import re

_INTRO = [
    re.compile(r"^\s*on\b.{0,300}\bwrote:\s*$", re.IGNORECASE),
    re.compile(r"^\s*le\b.{0,300}\ba écrit\s*:\s*$", re.IGNORECASE),
    re.compile(r"^\s*في\s.{0,300}كتب.{0,200}:\s*$"),
    re.compile(r"^\s*كتب\s.{0,300}:\s*$"),
    re.compile(r"^\s*-{2,}\s*(original message|الرسالة الأصلية)\s*-{2,}\s*$", re.IGNORECASE),
    re.compile(r"^\s*-{2,}\s*forwarded message\s*-{2,}\s*$", re.IGNORECASE),
    re.compile(r"^\s*_{20,}\s*$"),
]
_HEADER_FROM = re.compile(r"^\s*\*?(from|من)\s*:\*?\s", re.IGNORECASE)
_HEADER_NEXT = re.compile(
    r"^\s*\*?(sent|date|to|subject|cc|أرسلت|التاريخ|إلى|الموضوع|تم الإرسال)\s*:", re.IGNORECASE
)


def _is_intro(lines: list[str], index: int) -> bool:
    line = lines[index]
    if any(pattern.match(line) for pattern in _INTRO):
        return True
    # "On Mon, 1 Mar 2026 at 10:00, Sara <sara@x.sa>" + "wrote:" broken over two lines.
    if index + 1 < len(lines) and re.match(r"^\s*on\b", line, re.IGNORECASE):
        joined = f"{line} {lines[index + 1]}"
        if any(pattern.match(joined) for pattern in _INTRO):
            return True
    if _HEADER_FROM.match(line):
        following = lines[index + 1 : index + 4]
        return any(_HEADER_NEXT.match(nxt) for nxt in following)
    return False


def strip_quoted(text: str) -> str:
    """The new words of a reply, without the quoted history under them."""
    lines = text.replace("\r\n", "\n").split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        if _is_intro(lines, index):
            break
        kept.append(line)
    reply = [line for line in kept if not line.lstrip().startswith(">")]
    result = "\n".join(reply).strip()
    return result or text.strip()
