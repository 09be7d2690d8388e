"""WhatsApp webhook ingest through gunicorn vs a bare DRF insert, the processing rate, and a replay.

What "ingest" means here. The webhook (customer_ops/views/webhooks.py) checks the signature,
deduplicates and stores the raw delivery, enqueues its processing and answers 200: that answer is
the acknowledgement Meta waits for (and retries without), so it is what the throughput ratio and
p50/p99 measure. Matching the contact, classifying and attaching to a ticket happen after, in the
`process_whatsapp_delivery` task; the task worker is NOT running while the webhook is loaded (on
2 shared cores it would only take CPU from the server and blur both figures). Processing is
measured separately right after: `manage.py db_worker --batch` runs every task the load enqueued,
and its rate is tasks / (last finished - first started) from the task rows.

Setup: a dedicated PostgreSQL database (`BENCH_DATABASE_URL`, suffix `_wa`; dropped, created,
migrated), the project's settings with the bench URLconf (bench/settings_bench.py), DEBUG off, a
throwaway secret key and WhatsApp app secret; 40 customers with WhatsApp numbers and WhatsApp
replies already sent to some of them (so status updates find their message) or to be recorded
only after the replay (so their statuses arrive before the send is recorded).

Load: gunicorn, 2 sync workers (production's), wrk on loopback, a warm-up, then alternating
slices of (a) POST /webhooks/whatsapp/ and (b) the bare DRF endpoint /webhooks/bench-insert/
(bench/urls_bench.py: parses the JSON body and inserts one row). Every webhook request carries a
different delivery, correctly signed as Meta signs (compact JSON, Arabic `\\u`-escaped): about half
from known customers (follow-ups join their open ticket), a fifth from new numbers (unmatched
inbox), a fifth status updates (sent/delivered/read, a few failed), and a tenth exact repeats of
an earlier delivery. Target: webhook ≥ 0.5× the bare insert.

Replay: a separate set of deliveries, every one sent twice in a shuffled order (statuses before
their sends, repeats interleaved) by 4 concurrent clients; after processing and recording the late
sends, each inbound message must exist exactly once, each reported status exactly once and on its
message, each distinct delivery stored once and processed without error, known customers' messages
on one ticket each. The same check of messages runs over every delivery the load stored. A miss
is a FAILED line and `whatsapp_ingest_failed` > 0 (`make bench` then exits 1).
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg

from bench.classify_http import _wrk
from bench.pg import bench_database_url, drop_database, recreate_database, unreachable, where
from bench.server import (
    PYTHON,
    ROOT,
    child_pids,
    manage,
    production_environment,
    start_gunicorn,
    stop,
    wait_until_up,
)
from tests.whatsapp_fakes import envelope, inbound_media, inbound_text, signed_body, status_update

WEBHOOK = "/webhooks/whatsapp/"
INSERT = "/webhooks/bench-insert/"
WORKERS = 2
THREADS = 2
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
WARMUP_S = 2
DURATION_S = int(os.environ.get("BENCH_SECONDS", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
# Distinct deliveries per wrk thread per slice; past it a thread starts over (repeats, counted).
PER_THREAD = int(os.environ.get("BENCH_WA_PER_THREAD", "1500"))
REPLAY_DELIVERIES = 300
REPLAY_CLIENTS = 4
KNOWN = 40
OUT_EARLY = 30  # replies recorded before the load: their statuses find the message
OUT_LATE = 15  # replies recorded after processing: their statuses arrive before the send
TARGET_RATIO = 0.5
KNOWN_WA = "9665500{:05d}"
NEW_WA = "9665900{:05d}"
TEXTS = (
    "السلام عليكم، عندنا مشكلة في ربط Gmail مع النظام من أمس ولا تظهر المسودات",
    "النظام متوقف عندنا بالكامل ولا أحد يقدر يدخل، urgent please",
    "Hi, the weekly report did not arrive this morning, can you check?",
    "شكراً، وصلتنا الفاتورة. متى موعد الاجتماع القادم؟",
    "Proof Pack الأسبوعي ناقص صفحة الحملات",
    "we can't log in since the update, error 500 on the dashboard",
    "تمام، تم التحديث وكل شيء يعمل الآن 👍",
    "ممكن نضيف رقم ثاني للتواصل على واتساب؟",
    "The CRM sync shows duplicate leads again",
    "عندي سؤال عن الباقة: هل تشمل تقارير شهرية؟",
)
LUA = """
local bodies = {{
{bodies}
}}
local signatures = {{
{signatures}
}}
local per_thread = {per_thread}
local counter = 0
local offset = 0
local threads = 0
function setup(thread)
  thread:set("offset", threads * per_thread)
  threads = threads + 1
end
function init(args)
  offset = tonumber(wrk.thread:get("offset") or 0) or 0
end
function request()
  local i = offset + (counter % per_thread) + 1
  counter = counter + 1
  return wrk.format("POST", nil, {{
    ["Content-Type"] = "application/json",
    ["X-Hub-Signature-256"] = signatures[i],
  }}, bodies[i])
end
"""


# ── Inside the bench environment (subprocesses) ─────────────────────────────────────────────────
def _setup() -> dict[str, Any]:
    """Known customers with WhatsApp numbers and WhatsApp replies (early ones recorded)."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from customer_ops.roles import Role
    from customer_ops.services.customers import customer_create
    from customer_ops.services.drafts import draft_create
    from customer_ops.services.messages import message_record_outbound

    now = timezone.now()
    founder = get_user_model().objects.create_user(username="bench-founder")
    founder.groups.add(Group.objects.get(name=Role.FOUNDER))
    customers = [
        customer_create(
            company_name=f"شركة واتساب {n + 1}",
            bundle="growth_starter",
            contact_phone="+" + KNOWN_WA.format(n),
            contact_name="ريم",
            actor=founder,
            now=now,
        )
        for n in range(KNOWN)
    ]
    outbound: dict[str, list[dict[str, Any]]] = {"early": [], "late": []}
    for n in range(OUT_EARLY + OUT_LATE):
        customer = customers[n % KNOWN]
        draft = draft_create(
            customer_id=customer.pk,
            channel="whatsapp",
            to=customer.contact_phone,
            subject="",
            body="مرحباً، تم حل المشكلة. هل كل شيء يعمل الآن؟",
            author=founder,
            now=now,
        )
        wamid = f"wamid.OUT.{n:05d}"
        early = n < OUT_EARLY
        if early:
            message_record_outbound(
                draft=draft, channel="whatsapp", actor=None, now=now, external_id=wamid
            )
        outbound["early" if early else "late"].append(
            {"draft": draft.pk, "wamid": wamid, "wa_id": KNOWN_WA.format(n % KNOWN)}
        )
    return outbound


def _sessions() -> int:
    """Rows the bare endpoint inserted (checked against wrk's count)."""
    import django

    django.setup()
    from django.contrib.sessions.models import Session

    return Session.objects.count()


def _verify(corpus_file: str, late_file: str) -> dict[str, Any]:
    """Record the late replies, then count what processing made of every delivery."""
    import django

    django.setup()
    from django.db.models import Count
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from customer_ops.domain.whatsapp import delivery_key, parse_webhook
    from customer_ops.models import (
        MessageStatusEvent,
        OutboundDraft,
        Ticket,
        TicketMessage,
        WebhookDelivery,
    )
    from customer_ops.services.messages import message_record_outbound

    for late in json.loads(Path(late_file).read_text()):
        draft = OutboundDraft.objects.get(pk=late["draft"])
        message_record_outbound(
            draft=draft,
            channel="whatsapp",
            actor=None,
            now=timezone.now(),
            external_id=late["wamid"],
        )
    replay = json.loads(Path(corpus_file).read_text(encoding="utf-8"))
    problems: list[str] = []
    deliveries = WebhookDelivery.objects.filter(channel="whatsapp")
    unprocessed = deliveries.filter(processed_at__isnull=True).count()
    errors = deliveries.exclude(error="").count()
    failed_tasks = DBTaskResult.objects.exclude(status="SUCCESSFUL").count()
    if unprocessed or errors or failed_tasks:
        problems.append(
            f"{unprocessed} unprocessed deliveries, {errors} with errors, {failed_tasks} tasks"
            " not successful"
        )

    # Every delivery the load stored: each inbound message in it exists exactly once.
    stored_in: set[str] = set()
    stored_status: set[tuple[str, str]] = set()
    for body in deliveries.values_list("body", flat=True).iterator():
        parsed = parse_webhook(json.loads(body))
        stored_in.update(m.external_id for m in parsed.messages)
        stored_status.update((s.external_id, s.status.value) for s in parsed.statuses)
    rows = dict(
        TicketMessage.objects.filter(channel="whatsapp", direction="in")
        .values_list("external_id")
        .annotate(n=Count("id"))
    )
    lost_all = len(stored_in - set(rows))
    duplicated_all = sum(n - 1 for n in rows.values() if n > 1)
    event_rows: dict[tuple[str, str], int] = {
        (external_id, status): n
        for external_id, status, n in MessageStatusEvent.objects.filter(channel="whatsapp")
        .values("external_id", "status")
        .annotate(n=Count("id"))
        .values_list("external_id", "status", "n")
    }
    statuses_lost_all = len(stored_status - set(event_rows))
    statuses_duplicated_all = sum(n - 1 for n in event_rows.values() if n > 1)
    if lost_all or duplicated_all or statuses_lost_all or statuses_duplicated_all:
        problems.append(
            f"load: {lost_all} messages lost, {duplicated_all} duplicated, {statuses_lost_all}"
            f" statuses lost, {statuses_duplicated_all} duplicated"
        )

    # The replay: every distinct delivery stored once, every message and status once.
    keys = [delivery_key(body.encode("ascii")) for body in replay["bodies"]]
    stored = dict(
        deliveries.filter(dedupe_key__in=keys).values_list("dedupe_key").annotate(n=Count("id"))
    )
    deliveries_missing = sum(1 for key in set(keys) if key not in stored)
    deliveries_twice = sum(n - 1 for n in stored.values() if n > 1)
    expected_in = set(replay["inbound"])
    lost = len(expected_in - set(rows))
    duplicated = sum(rows.get(wamid, 0) - 1 for wamid in expected_in if rows.get(wamid, 0) > 1)
    expected_status = {tuple(pair) for pair in replay["statuses"]}
    statuses_lost = len(expected_status - set(event_rows))
    statuses_duplicated = sum(
        event_rows.get(pair, 0) - 1 for pair in expected_status if event_rows.get(pair, 0) > 1
    )
    orphans = MessageStatusEvent.objects.filter(channel="whatsapp", message__isnull=True).count()
    folded = Counter(
        TicketMessage.objects.filter(
            channel="whatsapp", direction="out", external_id__in=replay["outbound_read"]
        ).values_list("delivery_status", flat=True)
    )
    if deliveries_missing or deliveries_twice:
        problems.append(
            f"replay: {deliveries_missing} deliveries not stored, {deliveries_twice} stored twice"
        )
    if lost or duplicated or statuses_lost or statuses_duplicated:
        problems.append(
            f"replay: {lost} messages lost, {duplicated} duplicated, {statuses_lost} statuses"
            f" lost, {statuses_duplicated} duplicated"
        )
    if orphans:
        problems.append(f"{orphans} status reports still without their message")
    if set(folded) - {"read"}:
        problems.append(f"replies reported read are {dict(folded)}")
    known = [KNOWN_WA.format(n) for n in range(KNOWN)]
    tickets = dict(
        Ticket.objects.filter(channel="whatsapp")
        .values_list("customer__contact_phone")
        .annotate(n=Count("id"))
    )
    several = {phone: n for phone, n in tickets.items() if n != 1}
    if several:
        problems.append(f"known customers with several WhatsApp tickets: {several}")
    unattached = TicketMessage.objects.filter(
        channel="whatsapp", direction="in", sender__in=["+" + wa for wa in known], ticket=None
    ).count()
    unmatched = TicketMessage.objects.filter(
        channel="whatsapp", direction="in", customer=None
    ).count()
    if unattached:
        problems.append(f"{unattached} known customers' messages on no ticket")
    return {
        "problems": problems,
        "stored": deliveries.count(),
        "messages": len(rows),
        "load_messages": len(stored_in),
        "statuses": len(event_rows),
        "tickets": sum(tickets.values()),
        "unmatched": unmatched,
        "replay_deliveries": len(set(keys)),
        "replay_messages": len(expected_in),
        "replay_statuses": len(expected_status),
        "lost": lost + lost_all,
        "duplicated": duplicated + duplicated_all,
        "statuses_lost": statuses_lost + statuses_lost_all,
        "statuses_duplicated": statuses_duplicated + statuses_duplicated_all,
    }


# ── The deliveries ──────────────────────────────────────────────────────────────────────────────
def _wamid(prefix: str, n: int) -> str:
    """A provider id shaped like Meta's (`wamid.` + base64), unique per prefix and number."""
    return f"wamid.HBgMOTY2{prefix}{n:07d}FQIAEhggM0E5RjlCQ0QwRTE2QjlEMDk2AA=="


def _deliveries(
    rng: random.Random,
    *,
    prefix: str,
    count: int,
    outbound: list[str],
    start: dt.datetime,
    repeats: bool,
    failures: bool,
    secret: str,
) -> list[dict[str, Any]]:
    """`count` deliveries: known customers, new numbers, status updates and (optionally) repeats.

    Each is {"body", "signature", "inbound": [wamid…], "statuses": [[wamid, status]…]}.
    """
    out: list[dict[str, Any]] = []
    for i in range(count):
        at = start + dt.timedelta(seconds=i)
        pick = rng.random()
        if repeats and out and pick >= 0.9:
            out.append(dict(rng.choice(out)))  # Meta sending the same delivery again
            continue
        inbound: list[str] = []
        statuses: list[list[str]] = []
        if pick < 0.7:
            wa_id = (
                KNOWN_WA.format(rng.randrange(KNOWN))
                if pick < 0.5
                else NEW_WA.format(rng.randrange(500))
            )
            wamid = _wamid(prefix, i)
            text = rng.choice(TEXTS)
            if rng.random() < 0.12:
                message = inbound_media(
                    wamid=wamid,
                    wa_id=wa_id,
                    kind="document",
                    caption=text,
                    at=at,
                    filename="فاتورة.pdf",
                )
            else:
                message = inbound_text(wamid=wamid, wa_id=wa_id, body=text, at=at)
            payload = envelope(messages=[message], name=rng.choice(("ريم", "Omar", "عبدالله")))
            inbound.append(wamid)
        else:
            wamid = rng.choice(outbound)
            status = rng.choice(("sent", "delivered", "read"))
            failed = failures and rng.random() < 0.05
            if failed:
                status = "failed"
            wa_id = "9665" + wamid[-12:-4]  # any recipient: the wamid is what finds the message
            payload = envelope(
                statuses=[
                    status_update(
                        wamid=wamid,
                        status=status,
                        at=at,
                        recipient=wa_id,
                        error_code=131047 if failed else None,
                    )
                ]
            )
            statuses.append([wamid, status])
        body, signature = signed_body(payload, secret=secret)
        out.append(
            {
                "body": body.decode("ascii"),
                "signature": signature,
                "inbound": inbound,
                "statuses": statuses,
            }
        )
    return out


def _replay_corpus(
    rng: random.Random, outbound: dict[str, list[dict[str, Any]]], secret: str
) -> list[dict[str, Any]]:
    """The replay's distinct deliveries: messages, and every status of its replies (to `read`)."""
    replies = [o["wamid"] for o in outbound["early"][OUT_EARLY // 2 :] + outbound["late"]]
    start = dt.datetime.now(tz=dt.UTC) - dt.timedelta(hours=1)
    messages = _deliveries(
        rng,
        prefix="R",
        count=REPLAY_DELIVERIES - 3 * len(replies),
        outbound=replies,
        start=start,
        repeats=False,
        failures=False,
        secret=secret,
    )
    messages = [m for m in messages if m["inbound"]]
    statuses = []
    for n, wamid in enumerate(replies):
        for k, status in enumerate(("sent", "delivered", "read")):
            payload = envelope(
                statuses=[
                    status_update(
                        wamid=wamid,
                        status=status,
                        at=start + dt.timedelta(minutes=n, seconds=k),
                        recipient="966550000000",
                    )
                ]
            )
            body, signature = signed_body(payload, secret=secret)
            statuses.append(
                {
                    "body": body.decode("ascii"),
                    "signature": signature,
                    "inbound": [],
                    "statuses": [[wamid, status]],
                }
            )
    return messages + statuses


def _lua(deliveries: list[dict[str, Any]], per_thread: int) -> str:
    def quoted(text: str) -> str:
        return f"[==[{text}]==]"

    return LUA.format(
        bodies=",\n".join(quoted(d["body"]) for d in deliveries),
        signatures=",\n".join(quoted(d["signature"]) for d in deliveries),
        per_thread=per_thread,
    )


# ── The load, the replay, the processing ────────────────────────────────────────────────────────
def _post(connection: http.client.HTTPConnection, delivery: dict[str, Any]) -> int:
    connection.request(
        "POST",
        WEBHOOK,
        body=delivery["body"].encode("ascii"),
        headers={
            "Content-Type": "application/json",
            "X-Hub-Signature-256": delivery["signature"],
        },
    )
    response = connection.getresponse()
    response.read()
    return response.status


def _replay(host: str, port: int, deliveries: list[dict[str, Any]]) -> Counter[int]:
    """Send every delivery twice, shuffled, from REPLAY_CLIENTS concurrent clients."""
    order = deliveries * 2
    random.Random(14).shuffle(order)
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    position = iter(range(len(order)))

    def client() -> None:
        connection = http.client.HTTPConnection(host, port, timeout=60)
        while True:
            with lock:
                index = next(position, None)
            if index is None:
                break
            try:
                status = _post(connection, order[index])
            except (OSError, http.client.HTTPException):
                status = 0
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=60)
            with lock:
                statuses[status] += 1
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(REPLAY_CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _process(env: dict[str, str], url: str) -> dict[str, float]:
    """Run every enqueued task with `db_worker --batch`; its rate from the task rows' clocks."""
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, "manage.py", "db_worker", "--batch", "--queue-name", "*", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    with psycopg.connect(url) as connection:
        done, first, last = connection.execute(
            "SELECT count(*), min(started_at), max(finished_at)"
            " FROM django_tasks_database_dbtaskresult WHERE status = 'SUCCESSFUL'"
        ).fetchone()
    seconds = (last - first).total_seconds() if done else float("nan")
    return {"tasks": float(done), "seconds": seconds, "wall": wall}


def main() -> dict[str, Any]:
    print(
        "(g) WhatsApp webhook ingest vs a bare DRF insert through gunicorn on PostgreSQL",
        flush=True,
    )
    if shutil.which("wrk") is None:
        print("    skipped: wrk is not installed (apt-get install -y wrk)")
        return {}
    url = bench_database_url("wa")
    problem = unreachable(url)
    if problem is not None:
        print(f"    skipped: needs PostgreSQL at {where(url)} ({problem})")
        return {}
    recreate_database(url)
    try:
        with tempfile.TemporaryDirectory(prefix="dealix-wa-") as tmpdir:
            return _run(url, Path(tmpdir))
    finally:
        drop_database(url)


def _run(url: str, tmp: Path) -> dict[str, Any]:
    (tmp / "static").mkdir()
    secret = secrets.token_urlsafe(32)
    env = production_environment(
        database_url=url,
        settings_module="bench.settings_bench",
        BENCH_STATIC_ROOT=str(tmp / "static"),
        WHATSAPP_APP_SECRET=secret,
        WHATSAPP_VERIFY_TOKEN=secrets.token_urlsafe(16),
    )
    manage(env, "migrate", "--noinput", "-v", "0")
    outbound = json.loads(manage(env, "-m", "bench.whatsapp_ingest", "--setup").splitlines()[-1])
    rng = random.Random(14)
    load_replies = [o["wamid"] for o in outbound["early"][: OUT_EARLY // 2]]
    start = dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=1)
    per_slice = THREADS * PER_THREAD
    corpus = _deliveries(
        rng,
        prefix="L",
        count=per_slice * (ROUNDS + 1),
        outbound=load_replies,
        start=start,
        repeats=True,
        failures=True,
        secret=secret,
    )
    scripts = []
    for k in range(ROUNDS + 1):  # slice 0 is the warm-up
        script = tmp / f"slice{k}.lua"
        script.write_text(_lua(corpus[k * per_slice : (k + 1) * per_slice], PER_THREAD))
        scripts.append(script)
    replay = _replay_corpus(rng, outbound, secret)
    mix: Counter[str] = Counter()
    seen: set[str] = set()
    for delivery in corpus:
        kind = "status" if delivery["statuses"] else "message"
        mix["repeat" if delivery["body"] in seen else kind] += 1
        seen.add(delivery["body"])

    server, base = start_gunicorn(env, workers=WORKERS, worker_class="sync", log=tmp / "server.log")
    host, port = "127.0.0.1", int(urlsplit(base).port or 80)
    try:

        def answers() -> bool:
            connection = http.client.HTTPConnection(host, port, timeout=10)
            return _post(connection, replay[0]) == 200

        wait_until_up(server, answers)
        workers = child_pids(server.pid)
        targets = {"bare": base + INSERT, "webhook": base + WEBHOOK}
        for target in targets.values():
            _wrk(target, scripts[0], WARMUP_S, workers)
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in targets}
        slice_s = max(1, round(DURATION_S / ROUNDS))
        order = list(targets)
        for k in range(ROUNDS):
            for name in order:
                runs[name].append(_wrk(targets[name], scripts[k + 1], slice_s, workers))
            order.reverse()
        replayed = _replay(host, port, replay)
    finally:
        stop(server)
    processed = _process(env, url)
    bare_rows = int(manage(env, "-m", "bench.whatsapp_ingest", "--sessions").splitlines()[-1])
    replay_file, late_file = tmp / "replay.json", tmp / "late.json"
    replay_file.write_text(
        json.dumps(
            {
                "bodies": [d["body"] for d in replay],
                "inbound": [w for d in replay for w in d["inbound"]],
                "statuses": [s for d in replay for s in d["statuses"]],
                "outbound_read": sorted({s[0] for d in replay for s in d["statuses"]}),
            }
        ),
        encoding="utf-8",
    )
    late_file.write_text(json.dumps(outbound["late"]))
    checked = json.loads(
        manage(
            env, "-m", "bench.whatsapp_ingest", "--verify", str(replay_file), str(late_file)
        ).splitlines()[-1]
    )
    log_errors = [
        line for line in (tmp / "server.log").read_text().splitlines() if '"level": "ERROR"' in line
    ]
    return _report(runs, processed, replayed, checked, mix, bare_rows, log_errors, len(replay))


def _report(
    runs: dict[str, list[dict[str, float]]],
    processed: dict[str, float],
    replayed: Counter[int],
    checked: dict[str, Any],
    mix: Counter[str],
    bare_rows: int,
    log_errors: list[str],
    replay_size: int,
) -> dict[str, Any]:
    rates = {
        name: sum(r["requests"] for r in rs) / sum(r["seconds"] for r in rs)
        for name, rs in runs.items()
    }
    cpu_ms = {
        name: 1000 * sum(r["cpu_s"] for r in rs) / sum(r["requests"] for r in rs)
        for name, rs in runs.items()
    }
    ratio = rates["webhook"] / rates["bare"]
    cpu_ratio = cpu_ms["bare"] / cpu_ms["webhook"]
    total = sum(mix.values())
    print(
        f"    gunicorn {WORKERS} sync workers, DEBUG=0, PostgreSQL; wrk -t{THREADS} -c{CONNECTIONS},"
        f" {WARMUP_S} s warm-up, {DURATION_S} s per endpoint in {ROUNDS} alternating slices,"
        f" loopback; deliveries prepared (each wrk thread posts its own, in order): {total:,} ({mix['message']:,} messages,"
        f" {mix['status']:,} status updates, {mix['repeat']:,} exact repeats), each signed"
    )
    failures = 0.0
    for name in ("webhook", "bare"):
        rs = runs[name]
        p50 = sorted(r["p50_ms"] for r in rs)[len(rs) // 2]
        p99 = sorted(r["p99_ms"] for r in rs)[len(rs) // 2]
        bad = sum(r["non_2xx"] + r["socket_errors"] for r in rs)
        failures += bad
        slices = " ".join(f"{r['requests'] / r['seconds']:,.0f}" for r in rs)
        print(
            f"    {name:<8} {rates[name]:>7,.0f} req/s   worker CPU {cpu_ms[name]:.2f} ms/req   "
            f"p50 {p50:.2f} ms  p99 {p99:.2f} ms (medians of slices; worst p99"
            f" {max(r['p99_ms'] for r in rs):.1f} ms)   slices {slices}"
            + (f"   NON-2XX/ERRORS {bad:.0f}" if bad else "")
        )
    hook = runs["webhook"]
    ack_p50 = sorted(r["p50_ms"] for r in hook)[len(hook) // 2]
    ack_p99 = sorted(r["p99_ms"] for r in hook)[len(hook) // 2]
    wrapped = sum(max(0.0, r["requests"] - THREADS * PER_THREAD) for r in hook)
    if wrapped:
        print(
            f"    ({wrapped:.0f} webhook requests re-sent a delivery of their slice: more repeats)"
        )
    verdict = "meets" if ratio >= TARGET_RATIO else "BELOW"
    print(
        f"    acknowledgement (signature, dedupe, store, enqueue → 200): p50 {ack_p50:.2f} ms,"
        f" p99 {ack_p99:.2f} ms, p99/p50 {ack_p99 / ack_p50:.1f}×"
    )
    print(f"    ratio webhook/bare insert: {ratio:.2f}×   ({verdict} target ≥ {TARGET_RATIO}×)")
    print(
        f"    ratio by worker CPU per request: {cpu_ratio:.2f}×   (load average now"
        f" {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; a shared machine: noisy)"
    )
    rate = processed["tasks"] / processed["seconds"] if processed["seconds"] else float("nan")
    print(
        f"    processing (db_worker --batch, one process: parse, match, classify, attach, fold"
        f" statuses): {processed['tasks']:,.0f} deliveries in {processed['seconds']:.1f} s ="
        f" {rate:,.0f} deliveries/s ({processed['wall']:.1f} s with start-up)"
    )
    print(
        f"    stored {checked['stored']:,} distinct deliveries; {checked['messages']:,} inbound"
        f" messages, {checked['statuses']:,} status reports, {checked['tickets']} WhatsApp tickets,"
        f" {checked['unmatched']:,} messages from unknown numbers unmatched; the bare endpoint"
        f" inserted {bare_rows:,} rows"
    )
    refused = sum(n for status, n in replayed.items() if status != 200)
    print(
        f"    replay: {replay_size} distinct deliveries ({checked['replay_messages']} messages,"
        f" {checked['replay_statuses']} statuses, some before their reply is recorded) × 2,"
        f" shuffled, {REPLAY_CLIENTS} clients: answers {dict(sorted(replayed.items()))};"
        f" {checked['lost']} messages lost, {checked['duplicated']} duplicated,"
        f" {checked['statuses_lost']} statuses lost, {checked['statuses_duplicated']} duplicated"
        " (over the replay and every delivery the load stored)"
    )
    problems = list(checked["problems"])
    if refused:
        problems.append(f"{refused} replay requests not answered 200")
    if failures:
        problems.append(f"{failures:.0f} load requests failed or not 2xx")
    if log_errors:
        problems.append(f"{len(log_errors)} server errors: {log_errors[0][:300]}")
    if problems:
        print(f"    FAILED: {'; '.join(problems[:10])}")
    else:
        print("    0 lost, 0 duplicated: every message once, every status once and on its message")
    return {
        "whatsapp_webhook_rps": round(rates["webhook"], 1),
        "whatsapp_bare_insert_rps": round(rates["bare"], 1),
        "whatsapp_ingest_ratio": round(ratio, 3),
        "whatsapp_ingest_cpu_ratio": round(cpu_ratio, 3),
        "whatsapp_ack_p50_ms": round(ack_p50, 2),
        "whatsapp_ack_p99_ms": round(ack_p99, 2),
        "whatsapp_processing_per_s": round(rate, 1),
        "whatsapp_ingest_failed": len(problems),
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["--setup"]:
        print(json.dumps(_setup()))
    elif sys.argv[1:2] == ["--sessions"]:
        print(_sessions())
    elif sys.argv[1:2] == ["--verify"]:
        print(json.dumps(_verify(sys.argv[2], sys.argv[3])))
    else:
        main()
