"""200 concurrent approve+send clients through gunicorn on PostgreSQL: latency, and sent once.

Setup: a dedicated PostgreSQL database (`BENCH_DATABASE_URL`, suffix `_approve`; dropped, created,
migrated), the production settings (DEBUG off, throwaway secret key) with mail written to files
(`bench/settings_app.py`) so every message that left can be counted, API throttling lifted and
login lockout off. Two founders (either may approve: neither wrote the drafts) and two operators
who wrote 55 email drafts for five customers — half plain drafts, half first responses to new
tickets (sending those also records the ticket's first response) — each to its own address.

Server: gunicorn, 4 gthread workers × 8 threads. gthread rather than the production sync workers
because the point is races: 32 requests can be inside Django at once, so the four requests for
one draft really are in their transactions together, and a thread waiting on a row lock does not
stall a whole worker the way a sync worker would (which would measure queueing, not the locks).

Load: a warm-up of 64 concurrent reads (every thread opens its database connection), then one
client alone approves and sends 5 drafts (the latency without a crowd), then 200 clients, four
per remaining draft (two per founder), each on its own keep-alive connection, connected first and
released together by a barrier; each POSTs approve, then send. A send that finds another send of
the same draft in progress is refused with 409 (the draft's send claim, committed before the
email leaves); that is a correct answer. Reported: per-request latency (p50, p99, p99/p50; target
≤ 5×), status counts and refusals, server errors from its log, and how many requests overlapped
another request for the same draft (the races that really happened). Then the database and the
mailbox are checked: each draft is `sent`, has one `drafts.approved` and one `drafts.sent` ledger
row and one message in the mailbox, and each ticket one `first_response` event — otherwise a
FAILED line and `approve_send_failed` > 0 (`make bench` then exits 1).
"""

from __future__ import annotations

import http.client
import json
import math
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.pg import bench_database_url, drop_database, recreate_database, unreachable, where
from bench.server import (
    child_pids,
    cpu_seconds,
    manage,
    production_environment,
    start_gunicorn,
    stop,
    wait_until_up,
)

DRAFTS = 50
SOLO = 5  # drafts approved and sent by one client alone first: the latency without a crowd
CLIENTS_PER_DRAFT = 4
WORKERS = 4
THREADS = 8
WARMUP_REQUESTS = 64
TARGET_RATIO = 5.0
ADDRESS = "draft-{}@bench.example"


# ── Inside the bench environment (subprocesses) ─────────────────────────────────────────────────
def _setup() -> dict[str, Any]:
    """Founders with tokens, operators, customers, tickets and the pending drafts."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from customer_ops.roles import Role
    from customer_ops.services.customers import customer_create
    from customer_ops.services.drafts import draft_create
    from customer_ops.services.tickets import ticket_create, ticket_reply_draft

    now = timezone.now()
    users = get_user_model().objects

    def user(name: str, role: Role) -> Any:
        created = users.create_user(username=name)
        created.groups.add(Group.objects.get(name=role))
        return created

    founders = [user("bench-founder-a", Role.FOUNDER), user("bench-founder-b", Role.FOUNDER)]
    operators = [user("bench-operator-a", Role.OPERATOR), user("bench-operator-b", Role.OPERATOR)]
    customers = [
        customer_create(
            company_name=f"شركة السباق {n + 1}",
            bundle="growth_starter",
            contact_email=f"customer-{n}@bench.example",
            actor=founders[0],
            now=now,
        )
        for n in range(5)
    ]
    drafts, tickets = [], []
    for n in range(DRAFTS + SOLO):
        author, customer = operators[n % 2], customers[n % len(customers)]
        if n % 2:
            ticket = ticket_create(
                customer_id=customer.pk,
                subject=f"Gmail connector لا يتزامن ({n})",
                body="المسودات لا تظهر",
                channel="email",
                actor=author,
                now=now,
            )
            draft = ticket_reply_draft(
                ticket_id=ticket.pk, actor=author, now=now, to=ADDRESS.format(n)
            )
            tickets.append(ticket.pk)
        else:
            draft = draft_create(
                customer_id=customer.pk,
                channel="email",
                to=ADDRESS.format(n),
                subject=f"Dealix weekly note {n}",
                body="مرحباً، هذا ملخص الأسبوع.\n\nفريق Dealix",
                author=author,
                now=now,
            )
        drafts.append({"id": draft.pk, "to": draft.to})
    tokens = [Token.objects.create(user=founder).key for founder in founders]
    return {"tokens": tokens, "drafts": drafts, "tickets": tickets}


def _verify(ticket_ids: list[int]) -> dict[str, Any]:
    """What the database says: status, ledger rows per draft, first responses per ticket."""
    import django

    django.setup()
    from django.db.models import Count

    from customer_ops.models import LedgerEntry, OutboundDraft, SlaEvent

    ledger: dict[str, dict[str, int]] = defaultdict(dict)
    rows = (
        LedgerEntry.objects.filter(object_type="outbounddraft", verb__startswith="drafts.")
        .values("object_id", "verb")
        .annotate(n=Count("id"))
    )
    for row in rows:
        ledger[row["object_id"]][row["verb"]] = row["n"]
    first_responses = dict(
        SlaEvent.objects.filter(ticket_id__in=ticket_ids, event="first_response")
        .values_list("ticket_id")
        .annotate(n=Count("id"))
    )
    return {
        "drafts": {
            str(pk): {"status": status, "sent_at": bool(sent_at), "ledger": ledger[str(pk)]}
            for pk, status, sent_at in OutboundDraft.objects.values_list("pk", "status", "sent_at")
        },
        "first_responses": {str(pk): first_responses.get(pk, 0) for pk in ticket_ids},
    }


# ── The load ────────────────────────────────────────────────────────────────────────────────────
def _request(
    connection: http.client.HTTPConnection, path: str, token: str, method: str
) -> tuple[int, bytes]:
    connection.request(
        method,
        path,
        body=b"" if method == "POST" else None,
        headers={"Authorization": f"Token {token}"},
    )
    response = connection.getresponse()
    return response.status, response.read()


def _warm_up(host: str, port: int, token: str) -> None:
    """Concurrent reads, so every worker thread has imported its views and opened its connection."""

    def read() -> None:
        connection = http.client.HTTPConnection(host, port, timeout=60)
        for _ in range(3):
            _request(connection, "/api/v1/drafts/?status=pending", token, "GET")
        connection.close()

    threads = [threading.Thread(target=read) for _ in range(WARMUP_REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _burst(host: str, port: int, tokens: list[str], drafts: list[int]) -> list[dict[str, Any]]:
    """Every client connects, waits at the barrier, then POSTs approve and send."""
    clients = [
        (draft, tokens[k % len(tokens)]) for draft in drafts for k in range(CLIENTS_PER_DRAFT)
    ]
    barrier = threading.Barrier(len(clients))
    results: list[dict[str, Any]] = []
    lock = threading.Lock()

    def client(draft: int, token: str) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=120)
        connection.connect()
        barrier.wait()
        for action in ("approve", "send"):
            started = time.perf_counter()
            try:
                status, body = _request(
                    connection, f"/api/v1/drafts/{draft}/{action}/", token, "POST"
                )
            except (OSError, http.client.HTTPException) as error:
                status, body = 0, type(error).__name__.encode()
            ended = time.perf_counter()
            answer = "" if status == 200 else body.decode("utf-8", "replace")[:300]
            with lock:
                results.append(
                    {
                        "draft": draft,
                        "action": action,
                        "status": status,
                        "answer": answer,
                        "start": started,
                        "end": ended,
                    }
                )
        connection.close()

    threads = [threading.Thread(target=client, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _solo(host: str, port: int, token: str, drafts: list[int]) -> dict[str, float]:
    """Median latency of approve and of send with nobody else on the server."""
    connection = http.client.HTTPConnection(host, port, timeout=60)
    timings: dict[str, list[float]] = defaultdict(list)
    for draft in drafts:
        for action in ("approve", "send"):
            started = time.perf_counter()
            status, body = _request(connection, f"/api/v1/drafts/{draft}/{action}/", token, "POST")
            timings[action].append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise RuntimeError(f"{action} of draft {draft} alone: {status} {body[:300]!r}")
    connection.close()
    return {action: statistics.median(values) for action, values in timings.items()}


def _overlapping(results: list[dict[str, Any]]) -> int:
    """Requests that were in flight while another request for the same draft was."""
    by_draft: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for result in results:
        by_draft[result["draft"]].append(result)
    count = 0
    for requests in by_draft.values():
        for one in requests:
            if any(
                other is not one and other["start"] < one["end"] and one["start"] < other["end"]
                for other in requests
            ):
                count += 1
    return count


def _mailbox(directory: Path) -> Counter[str]:
    """Messages per recipient in the file backend's output."""
    sent: Counter[str] = Counter()
    for path in directory.glob("*.log"):
        text = path.read_bytes().decode("utf-8", "replace")
        sent.update(re.findall(r"^To: (\S+)$", text, flags=re.MULTILINE))
    return sent


def _error_of(answer: str) -> str:
    """The API error's English text, its times masked, so that equal refusals count together."""
    try:
        text = str(json.loads(answer).get("error", answer))
    except (ValueError, AttributeError):
        text = answer
    return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?( UTC)?", "<time>", text)[:200]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _problems(setup: dict[str, Any], checked: dict[str, Any], mail: Counter[str]) -> list[str]:
    problems = []
    for draft in setup["drafts"]:
        row = checked["drafts"][str(draft["id"])]
        ledger = row["ledger"]
        if row["status"] != "sent" or not row["sent_at"]:
            problems.append(f"draft {draft['id']} is {row['status']}")
        if ledger.get("drafts.sent", 0) != 1:
            problems.append(f"draft {draft['id']}: {ledger.get('drafts.sent', 0)} drafts.sent rows")
        if ledger.get("drafts.approved", 0) != 1:
            problems.append(
                f"draft {draft['id']}: {ledger.get('drafts.approved', 0)} drafts.approved rows"
            )
        if mail[draft["to"]] != 1:
            problems.append(f"draft {draft['id']}: {mail[draft['to']]} messages to {draft['to']}")
    for ticket, count in checked["first_responses"].items():
        if count != 1:
            problems.append(f"ticket {ticket}: {count} first_response events")
    return problems


def main() -> dict[str, Any]:
    print(
        f"(e) {DRAFTS * CLIENTS_PER_DRAFT} concurrent approve+send clients through gunicorn on"
        " PostgreSQL",
        flush=True,
    )
    url = bench_database_url("approve")
    problem = unreachable(url)
    if problem is not None:
        print(f"    skipped: needs PostgreSQL at {where(url)} ({problem})")
        return {}
    recreate_database(url)
    try:
        with tempfile.TemporaryDirectory(prefix="dealix-approve-") as tmpdir:
            return _run(url, Path(tmpdir))
    finally:
        drop_database(url)


def _run(url: str, tmp: Path) -> dict[str, Any]:
    (tmp / "mail").mkdir()
    (tmp / "static").mkdir()
    env = production_environment(
        database_url=url,
        settings_module="bench.settings_app",
        BENCH_MAIL_DIR=str(tmp / "mail"),
        BENCH_STATIC_ROOT=str(tmp / "static"),
    )
    manage(env, "migrate", "--noinput", "-v", "0")
    setup = json.loads(manage(env, "-m", "bench.approve_send", "--setup").splitlines()[-1])
    tokens, everything = setup["tokens"], [draft["id"] for draft in setup["drafts"]]
    solo, drafts = everything[:SOLO], everything[SOLO:]
    log = tmp / "server.log"
    server, base = start_gunicorn(
        env, workers=WORKERS, worker_class="gthread", threads=THREADS, log=log
    )
    host, port = "127.0.0.1", int(urlsplit(base).port or 80)
    try:

        def answers() -> bool:
            connection = http.client.HTTPConnection(host, port, timeout=10)
            return _request(connection, "/api/v1/drafts/", tokens[0], "GET")[0] == 200

        wait_until_up(server, answers)
        _warm_up(host, port, tokens[0])
        alone = _solo(host, port, tokens[0], solo)
        workers = child_pids(server.pid)
        cpu_before, started = cpu_seconds(workers), time.perf_counter()
        results = _burst(host, port, tokens, drafts)
        burst_s = time.perf_counter() - started
        cpu_ms = (cpu_seconds(workers) - cpu_before) * 1000 / len(results)
    finally:
        stop(server)
    checked = json.loads(
        manage(
            env, "-m", "bench.approve_send", "--verify", json.dumps(setup["tickets"])
        ).splitlines()[-1]
    )
    mail = _mailbox(tmp / "mail")
    problems = _problems(setup, checked, mail)

    latencies = [(r["end"] - r["start"]) * 1000 for r in results]
    p50, p99 = statistics.median(latencies), _percentile(latencies, 0.99)
    ratio = p99 / p50
    statuses = Counter(f"{r['action']} {r['status']}" for r in results)
    per_action = {
        action: [(r["end"] - r["start"]) * 1000 for r in results if r["action"] == action]
        for action in ("approve", "send")
    }
    print(
        f"    gunicorn {WORKERS} gthread workers × {THREADS} threads, DEBUG=0, PostgreSQL, token"
        f" auth; {len(everything)} email drafts ({len(setup['tickets'])} of them ticket first"
        f" responses): {SOLO} for one client alone, then {len(drafts)} with {CLIENTS_PER_DRAFT}"
        " clients each, released by one barrier"
    )
    print(
        f"    {len(results)} requests in {burst_s:.2f} s (workers' CPU {cpu_ms:.1f} ms a request,"
        f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs); statuses: "
        + ", ".join(f"{key} ×{n}" for key, n in sorted(statuses.items()))
    )
    answers = Counter(
        f"{r['action']} {r['status']}: {_error_of(r['answer'])}" for r in results if r["answer"]
    )
    for answer, n in answers.most_common(3):
        print(f"      ×{n} {answer}")
    errors = [line for line in log.read_text().splitlines() if '"level": "ERROR"' in line]
    print(
        f"    server log: {len(errors)} errors"
        + "".join(f"\n      {line[:300]}" for line in errors[:5])
    )
    print(
        f"    one client alone first ({SOLO} drafts): approve {alone['approve']:.1f} ms,"
        f" send {alone['send']:.1f} ms (medians)"
    )
    for action, values in per_action.items():
        print(
            f"    {action:<7} p50 {statistics.median(values):7.1f} ms   p99"
            f" {_percentile(values, 0.99):7.1f} ms   max {max(values):7.1f} ms"
        )
    overlapping = _overlapping(results)
    print(
        f"    races: {overlapping} of {len(results)} requests were in flight together with another"
        " request for the same draft"
    )
    sent_total = sum(mail.values())
    if problems:
        print(f"    FAILED: {len(problems)} problems: " + "; ".join(problems[:10]))
    else:
        print(
            f"    each of the {len(everything)} drafts sent exactly once: status sent, one"
            f" drafts.approved and one drafts.sent ledger row, one message ({sent_total} in the"
            f" mailbox); each of the {len(setup['tickets'])} tickets has one first_response event"
        )
    verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
    print(
        f"    all requests p50 {p50:.1f} ms, p99 {p99:.1f} ms:"
        f" ratio {ratio:.2f}× (target ≤ {TARGET_RATIO:g}×) — {verdict}"
    )
    return {
        "approve_send_p50_ms": round(p50, 2),
        "approve_send_p99_ms": round(p99, 2),
        "approve_send_ratio": round(ratio, 3),
        "approve_send_overlapping": overlapping,
        "approve_send_failed": len(problems),
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["--setup"]:
        print(json.dumps(_setup()))
    elif sys.argv[1:2] == ["--verify"]:
        print(json.dumps(_verify(json.loads(sys.argv[2]))))
    else:
        main()
