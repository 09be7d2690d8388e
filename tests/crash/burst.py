"""A concurrent burst of API writes, with the server SIGKILLed in the middle of it.

The plan is a list of chains: a chain's next request goes out only when the previous one was
acknowledged (approve, then send the approved draft). Worker threads take chains from a shared
queue; the calling thread waits for `kill_after` acknowledgements and then kills the server while
the other requests are still in flight. Every request ends as an acknowledgement (a 2xx reply),
another reply, or an error (the connection died with the server); requests never started are
listed apart, so the checks know exactly which writes may exist.
"""

from __future__ import annotations

import collections
import http.client
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.crash.server import Reply, call

WAIT_FOR_KILL_SECONDS = 120.0
AIM_SECONDS = 0.5


@dataclass(frozen=True)
class Step:
    kind: str  # "ticket", "approve" or "send"
    key: str  # the ticket's unique subject, or the draft's id
    method: str
    path: str
    token: str
    payload: dict[str, Any] | None = None


@dataclass(frozen=True)
class Outcome:
    step: Step
    reply: Reply | None
    error: str = ""

    @property
    def acknowledged(self) -> bool:
        return self.reply is not None and self.reply.acknowledged


@dataclass
class BurstResult:
    outcomes: list[Outcome] = field(default_factory=list)
    unattempted: list[Step] = field(default_factory=list)
    killed: bool = False
    acknowledged_at_kill: int = 0
    in_flight_at_kill: int = 0
    aimed_at_kill: int = 0
    seconds: float = 0.0

    def acknowledged(self, kind: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.step.kind == kind and o.acknowledged]

    def unacknowledged(self, kind: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.step.kind == kind and not o.acknowledged]

    def refused(self) -> list[Outcome]:
        """Requests the server answered with something other than 2xx (none should be)."""
        return [o for o in self.outcomes if o.reply is not None and not o.acknowledged]


def run_burst(
    port: int,
    chains: list[list[Step]],
    *,
    threads: int,
    kill_after: int | None = None,
    kill: Callable[[], None] | None = None,
    aim: Callable[[], int] | None = None,
) -> BurstResult:
    """Run every chain on `threads` threads; with `kill_after`, kill the server at that count.

    `aim` (optional) says how good the moment is for the kill: once the count is reached, the
    kill waits up to `AIM_SECONDS` for it to return more than 0 (e.g. a request inside a
    transaction, an email send between its claim and its record).
    """
    queue = collections.deque(chains)
    result = BurstResult()
    condition = threading.Condition()
    killed = threading.Event()
    state = {"acks": 0, "in_flight": 0, "done": 0}

    def run_chain(chain: list[Step]) -> None:
        for index, step in enumerate(chain):
            if killed.is_set():
                with condition:
                    result.unattempted.extend(chain[index:])
                return
            with condition:
                state["in_flight"] += 1
            try:
                reply = call(port, step.method, step.path, token=step.token, payload=step.payload)
                outcome = Outcome(step, reply)
            except (OSError, http.client.HTTPException) as exc:  # the server died under it
                outcome = Outcome(step, None, f"{type(exc).__name__}: {exc}")
            with condition:
                state["in_flight"] -= 1
                result.outcomes.append(outcome)
                if outcome.acknowledged:
                    state["acks"] += 1
                condition.notify_all()
            if not outcome.acknowledged:
                with condition:
                    result.unattempted.extend(chain[index + 1 :])
                return

    def worker() -> None:
        try:
            while True:
                with condition:
                    if not queue:
                        return
                    chain = queue.popleft()
                run_chain(chain)
        finally:
            with condition:
                state["done"] += 1
                condition.notify_all()

    started = time.monotonic()
    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    if kill_after is not None:
        assert kill is not None
        with condition:
            reached = (
                condition.wait_for(
                    lambda: state["acks"] >= kill_after or state["done"] == threads,
                    timeout=WAIT_FOR_KILL_SECONDS,
                )
                and state["done"] < threads
            )
        aimed = 0
        if reached and aim is not None:
            # Aim the kill at a moment that matters (requests keep flowing meanwhile); give up
            # aiming after a short while and kill anyway.
            deadline = time.monotonic() + AIM_SECONDS
            while (aimed := aim()) == 0 and time.monotonic() < deadline:
                pass
        with condition:
            # No new request starts after this flag, so the kill meets only those in flight.
            killed.set()
            result.acknowledged_at_kill = state["acks"]
            result.in_flight_at_kill = state["in_flight"]
        if reached:
            kill()
            result.killed = True
            result.aimed_at_kill = aimed
    for thread in pool:
        thread.join()
    result.seconds = time.monotonic() - started
    return result
