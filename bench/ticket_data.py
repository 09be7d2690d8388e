"""Realistic support tickets for the benchmarks: SLA events, and the clock columns the services store.

One place that says what a generated ticket looks like, used by the queue-page benchmark (which
writes with `bulk_create`) and the SLA health benchmark (which writes a million events with COPY).

A ticket's life: `opened`; sometimes `escalated` soon after (a human raised the priority above the
classifier's); the `first_response`; sometimes a `paused` / `resumed` wait on the customer; `resolved`;
sometimes a reopen (`opened` again, then `resolved` again); most resolved tickets are then closed
with the customer's confirmation. An *active* ticket stops before its resolution (still open, or
waiting on the customer). Events later than `now` have not happened, so the life is cut there.

The columns are computed exactly as `services.tickets` computes them: `ticket_sla` over the
events, then `ticket_sla_columns`, at the ticket's last write (its last event, or its closing),
because that is when the services last recomputed them. A running clock that has gone past its due
time since then is breached through `overdue_after < now`, as `breached_now_q` says.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

# (subject, body, weight) by what the classifier will make of them; weights give a realistic mix.
SUBJECTS: tuple[tuple[str, str, int], ...] = (
    ("أرسل بدون موافقتي", "وصلت رسالة لعميلنا لم نعتمدها", 2),
    ("تسريب في بيانات جهات الاتصال", "ظهرت بيانات عميل عند عميل آخر", 1),
    ("service down: التقارير لا تصل", "منذ الصباح لا يصل التقرير", 5),
    ("خدمة معطلة في لوحة المتابعة", "لا تفتح لوحة المتابعة", 5),
    ("Gmail connector لا يتزامن", "المسودات لا تظهر في Gmail", 12),
    ("مشكلة في Calendar", "الاجتماعات لا تظهر في التقويم", 10),
    ("تأخر Proof Pack الأسبوعي", "لم يصل Proof Pack هذا الأسبوع", 8),
    ("سؤال عن الفاتورة", "متى تصدر فاتورة الشهر؟", 20),
    ("اقتراح تحسين للتقرير", "نود إضافة عمود للمدينة", 18),
    ("طلب اجتماع مراجعة", "هل يمكن حجز مراجعة الأسبوع القادم؟", 19),
)
CHANNELS = ("email", "whatsapp", "web_form", "phone")
CONFIRMATION = "أكد العميل بالبريد أن المشكلة حُلّت."
ESCALATE_SHARE = 0.04
PAUSE_SHARE = 0.25
REOPEN_SHARE = 0.06
CLOSE_SHARE = 0.85
# 40 working hours pass in a 168-hour week: the working-hours priorities get wall-clock delays 3×
# as long, so that they use their targets (and sometimes miss them) like the 24/7 ones.
WORKING_HOURS_STRETCH = 3.0


@dataclass(frozen=True, slots=True)
class TicketPlan:
    """A generated ticket: its `Ticket` field values (no customer or assignee) and its events."""

    fields: dict[str, Any]
    events: list[tuple[str, dt.datetime]]
    # Nothing was cut at `now` and nothing is still running: the same life could have been lived
    # at another time, which `shifted_copy` relies on.
    complete: bool


def _minutes(value: float) -> dt.timedelta:
    return dt.timedelta(minutes=value)


class TicketPlanner:
    """Generates tickets at one `now`, over one working calendar, from one random stream."""

    def __init__(self, *, now: dt.datetime, calendar: Any, rng: random.Random) -> None:
        from customer_ops.domain.priority import Priority, classify_priority

        self.now = now
        self.calendar = calendar
        self.rng = rng
        self.decisions = {
            subject: classify_priority(f"{subject}\n{body}") for subject, body, _ in SUBJECTS
        }
        self.weights = [weight for *_, weight in SUBJECTS]
        order = [Priority.P3, Priority.P2, Priority.P1, Priority.P0]
        self.higher = {order[i].value: order[i + 1].value for i in range(len(order) - 1)}

    def _delay(self, priority: str, target: dt.timedelta, low: float, high: float) -> dt.timedelta:
        """A wall-clock delay of `low`..`high` × the target, most of them near `low`."""
        from customer_ops.domain.priority import parse_priority
        from customer_ops.domain.sla import SLA_CLOCK_BASIS, ClockBasis

        stretch = (
            WORKING_HOURS_STRETCH
            if SLA_CLOCK_BASIS[parse_priority(priority)] is ClockBasis.WORKING_HOURS
            else 1.0
        )
        return target * (low + (high - low) * self.rng.random() ** 2) * stretch

    def _life(
        self, priority: str, opened: dt.datetime, active: bool
    ) -> list[tuple[str, dt.datetime]]:
        """The events after `opened` (escalation excluded), before cutting at `now`."""
        from customer_ops.domain.sla import first_response_target, resolution_target

        rng = self.rng
        events: list[tuple[str, dt.datetime]] = []
        at = opened + self._delay(priority, first_response_target(priority), 0.1, 1.5)
        events.append(("first_response", at))
        if rng.random() < PAUSE_SHARE:
            at += _minutes(rng.uniform(10, 60 * 24))
            events.append(("paused", at))
            if active and rng.random() < 0.5:
                return events  # still waiting on the customer
            at += _minutes(rng.uniform(60, 60 * 24 * 3))
            events.append(("resumed", at))
        if active:
            return events if rng.random() < 0.6 else events[:0]  # answered, or not even that
        at += self._delay(priority, resolution_target(priority), 0.05, 0.9)
        events.append(("resolved", at))
        if rng.random() < REOPEN_SHARE:
            at += _minutes(rng.uniform(60, 60 * 24 * 3))
            events.append(("opened", at))
            at += self._delay(priority, resolution_target(priority), 0.02, 0.3)
            events.append(("resolved", at))
        return events

    def plan(self, *, opened: dt.datetime, active: bool) -> TicketPlan:
        """One ticket opened at `opened`; `active` ones are not resolved yet."""
        from customer_ops.domain.sla import ticket_sla_columns
        from customer_ops.selectors.tickets import ticket_sla

        rng, now = self.rng, self.now
        subject, body, _weight = rng.choices(SUBJECTS, weights=self.weights)[0]
        decision = self.decisions[subject]
        classified = priority = decision.priority.value
        events: list[tuple[str, dt.datetime]] = [("opened", opened)]
        start = opened
        if classified in self.higher and rng.random() < ESCALATE_SHARE:
            priority = self.higher[classified]
            start = opened + _minutes(rng.uniform(5, 120))
            events.append(("escalated", start))
        events += self._life(priority, start, active)
        lived = [(event, at) for event, at in events if at <= now]
        complete = not active and len(lived) == len(events)
        events = lived

        last = events[-1]
        resolved = last[0] == "resolved"
        closed_at = None
        if resolved and now - last[1] > dt.timedelta(days=1) and rng.random() < CLOSE_SHARE:
            closed_at = last[1] + _minutes(rng.uniform(60, 60 * 24))
            if closed_at > now:
                closed_at, complete = now, False
        moves = [at for event, at in events if event in ("opened", "paused", "resumed", "resolved")]
        if closed_at is not None:
            status = "closed"
        elif resolved:
            status = "resolved"
        elif last[0] == "paused":
            status = "pending_customer"
        else:
            status = "open"
        written = closed_at or last[1]
        columns = ticket_sla_columns(
            ticket_sla(priority=priority, events=events, now=written, calendar=self.calendar)
        )
        fields = {
            "channel": rng.choice(CHANNELS),
            "subject": subject,
            "body": body,
            "priority": priority,
            "classified_priority": classified,
            "matched_keyword": (decision.matched_keyword or "")[:100],
            "priority_reason_ar": decision.reason_ar[:300],
            "status": status,
            "status_changed_at": closed_at or moves[-1],
            "opened_at": opened,
            "customer_confirmation": CONFIRMATION if closed_at else "",
            "customer_confirmed_at": closed_at,
            "closed_at": closed_at,
            "created_at": opened,
            "updated_at": written,
            **columns,
        }
        return TicketPlan(fields=fields, events=events, complete=complete and resolved)


def planner_for(*, now: dt.datetime, history_days: int, rng: random.Random) -> TicketPlanner:
    """A planner with the working calendar (package holidays + overrides) of the whole history."""
    from customer_ops.selectors.calendar import calendar_for_span

    calendar = calendar_for_span(now - dt.timedelta(days=history_days + 30), now)
    return TicketPlanner(now=now, calendar=calendar, rng=rng)


def opened_time(
    rng: random.Random, *, now: dt.datetime, history_days: int, active: bool
) -> dt.datetime:
    """When a ticket was opened: active ones in the last four days, the rest over the history."""
    if active:
        return now - _minutes(rng.uniform(5, 60 * 24 * 4))
    return now - _minutes(rng.uniform(60 * 24 * 2, 60 * 24 * history_days))


class WeekMoves:
    """Moves a finished life by whole weeks where that provably gives the same clocks, moved.

    The 24/7 priorities' clocks are plain time arithmetic: any move keeps them. The working-hours
    ones keep them when the move is a whole number of weeks, the business timezone's offset is the
    same at both places, and no holiday falls on any day from the life's first time to its last
    (due times and `overdue_after` included) at either place: then the working week looks the same
    from both, day for day. The benchmark checks a sample of the result against the services.
    """

    WEEK = dt.timedelta(days=7)

    def __init__(self, calendar: Any) -> None:
        self.zone = calendar.zone
        self.holidays = sorted(calendar.holidays)

    def span(self, plan: TicketPlan) -> tuple[dt.datetime, dt.datetime, bool]:
        """(first time, last time, working hours?) of a plan, worked out once per plan."""
        from customer_ops.domain.priority import parse_priority
        from customer_ops.domain.sla import SLA_CLOCK_BASIS, ClockBasis

        times = [at for _, at in plan.events]
        times += [value for value in plan.fields.values() if isinstance(value, dt.datetime)]
        basis = SLA_CLOCK_BASIS[parse_priority(plan.fields["priority"])]
        return min(times), max(times), basis is ClockBasis.WORKING_HOURS

    def _holiday_between(self, first: dt.datetime, last: dt.datetime) -> bool:
        start, end = first.astimezone(self.zone).date(), last.astimezone(self.zone).date()
        index = bisect.bisect_left(self.holidays, start)
        return index < len(self.holidays) and self.holidays[index] <= end

    def keeps_clocks(
        self, span: tuple[dt.datetime, dt.datetime, bool], delta: dt.timedelta
    ) -> bool:
        first, last, working_hours = span
        if not working_hours:
            return True
        if delta % self.WEEK:
            return False
        if self._holiday_between(first, last) or self._holiday_between(first + delta, last + delta):
            return False
        offsets = {moment.astimezone(self.zone).utcoffset() for moment in (first, last)}
        offsets |= {(moment + delta).astimezone(self.zone).utcoffset() for moment in (first, last)}
        return len(offsets) == 1


def shifted_copy(plan: TicketPlan, delta: dt.timedelta) -> TicketPlan:
    """The plan lived `delta` later: every time moved, every duration and flag kept."""
    fields = {
        name: value + delta if isinstance(value, dt.datetime) else value
        for name, value in plan.fields.items()
    }
    events = [(event, at + delta) for event, at in plan.events]
    return TicketPlan(fields=fields, events=events, complete=plan.complete)
