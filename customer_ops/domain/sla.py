"""SLA targets, breach checks, the health report and the live SLA clocks (SPEC_RULES §5, SPEC.md §6).

The numbers come from the priority table in `priority.py`; nothing here repeats them.

The clocks (for stored tickets) are derived from the ticket's append-only SLA events:

- P0/P1 run on the 24/7 clock; P2/P3 count working time only (Sunday–Thursday 09:00–17:00
  Asia/Riyadh by default, holidays passed in), because their replies promise "ساعات عمل". Both the
  first-response and the resolution clock follow `SLA_CLOCK_BASIS`.
- Time between `paused` and `resumed` (waiting on the customer) does not count; an open pause runs
  to `now` and the clock shows `paused`.
- `first_response` stops the first-response clock for good. `resolved` stops the resolution clock;
  a later `opened` (a reopen) starts it again, without counting the time it spent resolved.
- An open ticket past its target is breached now, not only once it closes. "Breached" is strictly
  past the target: at exactly 30 minutes a P0 first response is still on time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from customer_ops.domain.calendar import (
    DAY,
    SpecialPeriod,
    Week,
    WorkWindow,
    checked_week,
    ensure_periods_apart,
    week_of_hours,
)
from customer_ops.domain.errors import InvalidValue, UnknownSlaEvent
from customer_ops.domain.inputs import require_aware, require_number, require_text
from customer_ops.domain.priority import (
    PRIORITIES_BY_ID,
    SUPPORT_PRIORITIES,
    Priority,
    parse_priority,
    priority_get,
)

# The original's SLA_TARGETS shape, derived from the priority table.
SLA_TARGETS: dict[str, dict[str, int]] = {
    level.id.value: {
        "first_response_min": level.first_response_minutes,
        "resolution_hours": level.resolution_target_hours,
    }
    for level in SUPPORT_PRIORITIES
}


def first_response_target(priority: object) -> dt.timedelta:
    """How long the first reply may take for this priority."""
    return dt.timedelta(minutes=priority_get(priority).first_response_minutes)


def resolution_target(priority: object) -> dt.timedelta:
    """How long the resolution may take for this priority."""
    return dt.timedelta(hours=priority_get(priority).resolution_target_hours)


# ── Events ──────────────────────────────────────────────────────────────────────────────────────
class SlaEventType(StrEnum):
    OPENED = "opened"
    FIRST_RESPONSE = "first_response"
    PAUSED = "paused"
    RESUMED = "resumed"
    RESOLVED = "resolved"
    ESCALATED = "escalated"


def parse_sla_event(value: object) -> SlaEventType:
    """The event type for its code; anything else is `UnknownSlaEvent`."""
    if not isinstance(value, str):  # no other type is a member either
        raise UnknownSlaEvent(value)
    try:
        return SlaEventType(value)
    except ValueError:
        raise UnknownSlaEvent(value) from None


@dataclass(frozen=True, slots=True)
class SlaEventRecord:
    """One validated SLA event, ready to be stored as an append-only row."""

    ticket_id: str
    priority: Priority
    event: SlaEventType
    at: dt.datetime

    def as_dict(self) -> dict[str, Any]:
        """The original API shape; `ts` stays epoch seconds as it was."""
        return {
            "ticket_id": self.ticket_id,
            "priority": self.priority.value,
            "event": self.event.value,
            "ts": self.at.timestamp(),
        }


def record_sla_event(
    *, ticket_id: str, priority: object, event: object, ts: object
) -> SlaEventRecord:
    """Validate an SLA event (type, priority, aware time); storing it is the service's job."""
    return SlaEventRecord(
        ticket_id=require_text("ticket_id", ticket_id),
        priority=parse_priority(priority),
        event=parse_sla_event(event),
        at=require_aware("ts", ts),
    )


# ── Breaches and the health report (SPEC_RULES §5.3, §5.4) ─────────────────────────────────────
def classify_sla_breach(
    *,
    priority: object,
    minutes_to_first_response: object = None,
    hours_to_resolve: object = None,
) -> dict[str, Any]:
    """Which of a ticket's measured times are strictly past the priority's targets."""
    level = priority_get(priority)
    breaches: list[str] = []
    if minutes_to_first_response is not None:
        minutes = require_number("minutes_to_first_response", minutes_to_first_response)
        if minutes > level.first_response_minutes:
            breaches.append(f"first_response: {minutes:.0f} > {level.first_response_minutes} min")
    if hours_to_resolve is not None:
        hours = require_number("hours_to_resolve", hours_to_resolve)
        if hours > level.resolution_target_hours:
            breaches.append(f"resolution: {hours:.1f}h > {level.resolution_target_hours}h")
    return {"priority": level.id.value, "breached": bool(breaches), "breaches": breaches}


class SlaVerdict(StrEnum):
    HEALTHY = "healthy"
    WATCH = "watch"
    CRITICAL = "critical"


WATCH_FROM = 0.10
CRITICAL_FROM = 0.25


def sla_verdict(breach_rate: float) -> SlaVerdict:
    """healthy below 10 % breached, watch from 10 %, critical from 25 % (the founder is told)."""
    rate = require_number("breach_rate", breach_rate, maximum=1.0)
    if rate < WATCH_FROM:
        return SlaVerdict.HEALTHY
    if rate < CRITICAL_FROM:
        return SlaVerdict.WATCH
    return SlaVerdict.CRITICAL


def build_sla_health_report(
    *, tickets: Sequence[Mapping[str, Any]] | None = None
) -> dict[str, Any]:
    """Breach rate, per-priority averages and verdict over measured tickets (SPEC_RULES §5.4)."""
    tickets = tickets or ()
    by_priority: dict[str, dict[str, Any]] = {}
    total_breached = 0
    for position, ticket in enumerate(tickets):
        if not isinstance(ticket, Mapping):
            raise InvalidValue(f"tickets[{position}]", "each ticket must be an object")
        first_response = ticket.get("first_response_min")
        resolution = ticket.get("resolution_hours")
        try:
            result = classify_sla_breach(
                priority=ticket.get("priority", Priority.P3.value),
                minutes_to_first_response=first_response,
                hours_to_resolve=resolution,
            )
        except InvalidValue as error:  # name the ticket, not just the field
            raise InvalidValue(
                f"tickets[{position}].{_TICKET_FIELDS[error.field]}",
                error.message,
                message_ar=error.message_ar,
            ) from error
        bucket = by_priority.setdefault(
            result["priority"],
            {
                "count": 0,
                "breaches": 0,
                "total_first_response_min": 0.0,
                "total_resolution_hours": 0.0,
                "responded_count": 0,
                "resolved_count": 0,
            },
        )
        bucket["count"] += 1
        if result["breached"]:
            bucket["breaches"] += 1
            total_breached += 1
        if first_response is not None:
            bucket["total_first_response_min"] += float(first_response)
            bucket["responded_count"] += 1
        if resolution is not None:
            bucket["total_resolution_hours"] += float(resolution)
            bucket["resolved_count"] += 1

    for bucket in by_priority.values():
        if bucket["responded_count"]:
            bucket["avg_first_response_min"] = round(
                bucket["total_first_response_min"] / bucket["responded_count"], 1
            )
        if bucket["resolved_count"]:
            bucket["avg_resolution_hours"] = round(
                bucket["total_resolution_hours"] / bucket["resolved_count"], 2
            )

    breach_rate = round(total_breached / len(tickets), 3) if tickets else 0.0
    return {
        "total_tickets": len(tickets),
        "total_breached": total_breached,
        "breach_rate": breach_rate,
        "by_priority": by_priority,
        "verdict": sla_verdict(breach_rate).value,
    }


_TICKET_FIELDS = {
    "priority": "priority",
    "minutes_to_first_response": "first_response_min",
    "hours_to_resolve": "resolution_hours",
}

# The demo of GET /sla/health-report/demo: only P2 breaches (600 > 480), so 1 of 4 = 0.25, critical.
DEMO_SLA_TICKETS: tuple[dict[str, Any], ...] = (
    {"priority": "P0", "first_response_min": 12, "resolution_hours": 2.5},
    {"priority": "P1", "first_response_min": 90, "resolution_hours": 18},
    {"priority": "P2", "first_response_min": 600, "resolution_hours": 70},
    {"priority": "P3", "first_response_min": 1200, "resolution_hours": 100},
)


# ── Working time ────────────────────────────────────────────────────────────────────────────────
# date.weekday(): Monday is 0 … Sunday is 6. The Saudi working week is Sunday to Thursday.
SUNDAY_TO_THURSDAY: frozenset[int] = frozenset({6, 0, 1, 2, 3})

type Interval = tuple[dt.datetime, dt.datetime]


class SkipReason(StrEnum):
    WEEKEND = "weekend"  # no window that weekday
    HOLIDAY = "holiday"
    PERIOD = "period"  # a special period's day without windows


@dataclass(frozen=True, slots=True)
class SkippedDay:
    day: dt.date
    reason: SkipReason


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    """When working-hours SLAs count: business timezone, the week's windows, periods and holidays.

    The week is `week` (windows per weekday, see `domain/calendar.py`) or, when not given, one
    window `day_start`–`day_end` on each of `workdays`. Special periods replace the week on their
    dates; holidays close a day (the evening window of the day before still runs past midnight).
    Holidays and periods are passed in (the selectors build them), so this stays pure.
    """

    tz: str = "Asia/Riyadh"
    workdays: frozenset[int] = SUNDAY_TO_THURSDAY
    day_start: dt.time = dt.time(9, 0)
    day_end: dt.time = dt.time(17, 0)
    holidays: frozenset[dt.date] = frozenset()
    week: Week | None = None
    periods: tuple[SpecialPeriod, ...] = ()
    # Each day's opening intervals, built on first use: the clocks ask for the same days often.
    _intervals: dict[dt.date, tuple[Interval, ...]] = field(
        default_factory=dict, init=False, compare=False, hash=False, repr=False
    )
    _spills: bool = field(default=False, init=False, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidValue("tz", f"unknown timezone: {self.tz}") from None
        if self.week is None:
            if not self.workdays or not self.workdays <= frozenset(range(7)):
                raise InvalidValue("workdays", "workdays must be a non-empty set of weekdays 0..6")
            if self.day_start.tzinfo or self.day_end.tzinfo or self.day_start >= self.day_end:
                raise InvalidValue("day_end", "working hours must be local times with start < end")
            object.__setattr__(
                self, "week", week_of_hours(self.workdays, self.day_start, self.day_end)
            )
        else:
            week = checked_week(dict(enumerate(self.week)))
            object.__setattr__(self, "week", week)
            object.__setattr__(
                self, "workdays", frozenset(day for day, windows in enumerate(week) if windows)
            )
        object.__setattr__(self, "periods", ensure_periods_apart(self.periods))
        weeks = [self.week or (), *(period.week for period in self.periods)]
        object.__setattr__(
            self,
            "_spills",
            any(w.crosses_midnight for week in weeks for windows in week for w in windows),
        )

    @property
    def zone(self) -> ZoneInfo:
        """The business timezone (zoneinfo caches instances, so this is cheap)."""
        return ZoneInfo(self.tz)

    @property
    def spills(self) -> bool:
        """Whether some window runs past midnight (then a day's count starts the evening before)."""
        return self._spills

    def period_on(self, day: dt.date) -> SpecialPeriod | None:
        """The special period covering `day`, if any."""
        for period in self.periods:
            if period.start <= day <= period.end:
                return period
        return None

    def windows_on(self, day: dt.date) -> tuple[WorkWindow, ...]:
        """The windows opening on `day`: none on a holiday, the period's within a period."""
        if day in self.holidays:
            return ()
        period = self.period_on(day) if self.periods else None
        week = period.week if period is not None else self.week
        return week[day.weekday()] if week else ()

    def is_working_day(self, day: dt.date) -> bool:
        """A day with at least one window opening on it (not a holiday, not a day off)."""
        return bool(self.windows_on(day))

    def intervals_of(self, day: dt.date) -> tuple[Interval, ...]:
        """The day's opening and closing moments, timezone-aware, in order (cached)."""
        cached = self._intervals.get(day)
        if cached is None:
            zone = self.zone
            cached = tuple(
                (
                    dt.datetime.combine(day, window.start, tzinfo=zone),
                    dt.datetime.combine(day + DAY, window.end, tzinfo=zone)
                    if window.crosses_midnight
                    else dt.datetime.combine(day, window.end, tzinfo=zone),
                )
                for window in self.windows_on(day)
            )
            self._intervals[day] = cached
        return cached

    def skipped_days(self, start: dt.datetime, end: dt.datetime) -> tuple[SkippedDay, ...]:
        """The local days from `start` to `end` on which no window opened, and why."""
        zone = self.zone
        day, last = start.astimezone(zone).date(), end.astimezone(zone).date()
        skipped: list[SkippedDay] = []
        while day <= last:
            if not self.windows_on(day):
                if day in self.holidays:
                    reason = SkipReason.HOLIDAY
                elif self.period_on(day) is not None:
                    reason = SkipReason.PERIOD
                else:
                    reason = SkipReason.WEEKEND
                skipped.append(SkippedDay(day, reason))
            day += DAY
        return tuple(skipped)

    def periods_between(self, start: dt.datetime, end: dt.datetime) -> tuple[SpecialPeriod, ...]:
        """The special periods that share a local day with [start, end]."""
        zone = self.zone
        first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
        return tuple(p for p in self.periods if p.start <= last and p.end >= first)


DEFAULT_CALENDAR = WorkingCalendar()


def _span(start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    # Subtracting two datetimes that share a tzinfo ignores UTC offsets; going through UTC doesn't.
    return end.astimezone(dt.UTC) - start.astimezone(dt.UTC)


def _first_day(start: dt.datetime, calendar: WorkingCalendar) -> dt.date:
    """The first day whose windows may hold `start`: the day before when windows cross midnight."""
    day = start.astimezone(calendar.zone).date()
    return day - DAY if calendar.spills else day


def add_working_time(
    start: dt.datetime, duration: dt.timedelta, calendar: WorkingCalendar = DEFAULT_CALENDAR
) -> dt.datetime:
    """The moment `duration` of working time after `start` (outside hours, counting starts at opening)."""
    require_aware("start", start)
    if duration < dt.timedelta(0):
        raise InvalidValue("duration", "duration must not be negative")
    if not duration:
        return start
    remaining = duration
    day = _first_day(start, calendar)
    # `floor`: nothing before it counts again (a period's last evening window may reach into
    # the next day's first window; the overlap counts once).
    floor = start
    while True:
        for opens, closes in calendar.intervals_of(day):
            begin = max(floor, opens)
            if begin < closes:
                available = _span(begin, closes)
                if remaining <= available:
                    return (begin.astimezone(dt.UTC) + remaining).astimezone(start.tzinfo)
                remaining -= available
                floor = closes
        day += DAY


def working_time_between(
    start: dt.datetime, end: dt.datetime, calendar: WorkingCalendar = DEFAULT_CALENDAR
) -> dt.timedelta:
    """Working time inside [start, end); zero when end is not after start."""
    require_aware("start", start)
    require_aware("end", end)
    total = dt.timedelta(0)
    if end <= start:
        return total
    day, last = _first_day(start, calendar), end.astimezone(calendar.zone).date()
    floor = start
    while day <= last:
        for opens, closes in calendar.intervals_of(day):
            begin, finish = max(floor, opens), min(end, closes)
            if begin < finish:
                total += _span(begin, finish)
                floor = finish
        day += DAY
    return total


# ── The clocks ──────────────────────────────────────────────────────────────────────────────────
class ClockBasis(StrEnum):
    ROUND_THE_CLOCK = "24_7"
    WORKING_HOURS = "working_hours"


SLA_CLOCK_BASIS: Mapping[Priority, ClockBasis] = {
    Priority.P0: ClockBasis.ROUND_THE_CLOCK,
    Priority.P1: ClockBasis.ROUND_THE_CLOCK,
    Priority.P2: ClockBasis.WORKING_HOURS,
    Priority.P3: ClockBasis.WORKING_HOURS,
}
if set(SLA_CLOCK_BASIS) != set(PRIORITIES_BY_ID):
    raise RuntimeError("every priority needs a clock basis")


@dataclass(frozen=True, slots=True)
class SlaClock:
    """Where one SLA target stands at `now`.

    `remaining` is target − elapsed and goes negative once overdue. `due_at` is when the target is
    (or was) reached: inside the counted time if already reached, else projected from `now` — or
    from `stopped_at` for a stopped clock — as if the clock ran on without pausing. `met` is None
    while the clock still runs (or is paused).
    """

    target: dt.timedelta
    due_at: dt.datetime
    elapsed: dt.timedelta
    remaining: dt.timedelta
    breached: bool
    paused: bool
    stopped_at: dt.datetime | None
    met: bool | None


type SlaEvents = Iterable[tuple[SlaEventType | str, dt.datetime]]


def first_response_clock(
    *,
    priority: object,
    events: SlaEvents,
    now: dt.datetime,
    calendar: WorkingCalendar = DEFAULT_CALENDAR,
) -> SlaClock:
    """The first-response clock: from `opened` to the first `first_response`, pauses excluded."""
    return _clock(
        priority=parse_priority(priority),
        target=first_response_target(priority),
        events=events,
        now=now,
        calendar=calendar,
        stop=SlaEventType.FIRST_RESPONSE,
        reopens=False,
    )


def resolution_clock(
    *,
    priority: object,
    events: SlaEvents,
    now: dt.datetime,
    calendar: WorkingCalendar = DEFAULT_CALENDAR,
) -> SlaClock:
    """The resolution clock: from `opened` to `resolved`, pauses excluded, running again on reopen."""
    return _clock(
        priority=parse_priority(priority),
        target=resolution_target(priority),
        events=events,
        now=now,
        calendar=calendar,
        stop=SlaEventType.RESOLVED,
        reopens=True,
    )


def _validated_events(
    events: SlaEvents, now: dt.datetime
) -> list[tuple[SlaEventType, dt.datetime]]:
    checked: list[tuple[SlaEventType, dt.datetime]] = []
    for position, entry in enumerate(events):
        try:
            kind, at = entry
        except (TypeError, ValueError):
            raise InvalidValue(
                f"events[{position}]", "each event must be an (event_type, at) pair"
            ) from None
        checked.append((parse_sla_event(kind), require_aware(f"events[{position}].at", at)))
    # Stable sort: events at the same instant keep the order they were recorded in. Events stamped
    # after `now` (clock skew between machines) have not happened yet as far as this clock knows.
    return [item for item in sorted(checked, key=lambda item: item[1]) if item[1] <= now]


def _running_intervals(
    events: list[tuple[SlaEventType, dt.datetime]],
    *,
    now: dt.datetime,
    stop: SlaEventType,
    reopens: bool,
) -> tuple[list[tuple[dt.datetime, dt.datetime]], bool, dt.datetime | None]:
    """(intervals in which the clock ran, paused now?, stopped_at) from the opened event on."""
    opened_at = next((at for kind, at in events if kind is SlaEventType.OPENED), None)
    if opened_at is None:
        raise InvalidValue("events", "the ticket has no opened event")
    intervals: list[tuple[dt.datetime, dt.datetime]] = []
    running_since: dt.datetime | None = opened_at
    paused = False
    stopped_at: dt.datetime | None = None
    for kind, at in events:
        if at < opened_at:
            continue
        if kind is stop and stopped_at is None:
            if running_since is not None:
                intervals.append((running_since, at))
            running_since, paused, stopped_at = None, False, at
        elif kind is SlaEventType.OPENED and reopens and stopped_at is not None:
            running_since, stopped_at = at, None
        elif stopped_at is not None:
            continue
        elif kind is SlaEventType.PAUSED and running_since is not None:
            intervals.append((running_since, at))
            running_since, paused = None, True
        elif kind is SlaEventType.RESUMED and paused:
            running_since, paused = at, False
    if running_since is not None:
        intervals.append((running_since, now))
    return intervals, paused, stopped_at


def _clock(
    *,
    priority: Priority,
    target: dt.timedelta,
    events: SlaEvents,
    now: dt.datetime,
    calendar: WorkingCalendar,
    stop: SlaEventType,
    reopens: bool,
) -> SlaClock:
    require_aware("now", now)
    working = SLA_CLOCK_BASIS[priority] is ClockBasis.WORKING_HOURS

    def measure(start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        return (
            working_time_between(start, end, calendar)
            if working
            else max(_span(start, end), dt.timedelta(0))
        )

    def advance(start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        return add_working_time(start, duration, calendar) if working else start + duration

    intervals, paused, stopped_at = _running_intervals(
        _validated_events(events, now), now=now, stop=stop, reopens=reopens
    )
    elapsed = dt.timedelta(0)
    due_at: dt.datetime | None = None
    for start, end in intervals:
        length = measure(start, end)
        if due_at is None and elapsed + length >= target:
            due_at = advance(start, target - elapsed)
        elapsed += length
    if due_at is None:
        due_at = advance(stopped_at or now, target - elapsed)
    breached = elapsed > target
    return SlaClock(
        target=target,
        due_at=due_at,
        elapsed=elapsed,
        remaining=target - elapsed,
        breached=breached,
        paused=paused,
        stopped_at=stopped_at,
        met=None if stopped_at is None else not breached,
    )


# ── A ticket's two clocks and the columns stored from them ──────────────────────────────────────
_TICK = dt.timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class TicketSla:
    """Both clocks of a ticket at one moment."""

    basis: ClockBasis
    first_response: SlaClock
    resolution: SlaClock
    computed_at: dt.datetime
    calendar: WorkingCalendar

    @property
    def breached(self) -> bool:
        return self.first_response.breached or self.resolution.breached

    @property
    def paused(self) -> bool:
        return self.first_response.paused or self.resolution.paused


def ticket_clocks(
    *,
    priority: str,
    events: Sequence[tuple[str, dt.datetime]],
    now: dt.datetime,
    calendar: WorkingCalendar,
) -> TicketSla:
    """Both clocks of a ticket from its events, on `calendar` (used by working-hours clocks)."""
    basis = SLA_CLOCK_BASIS[parse_priority(priority)]
    return TicketSla(
        basis=basis,
        first_response=first_response_clock(
            priority=priority, events=events, now=now, calendar=calendar
        ),
        resolution=resolution_clock(priority=priority, events=events, now=now, calendar=calendar),
        computed_at=now,
        calendar=calendar,
    )


def overdue_after(clock: SlaClock, sla: TicketSla) -> dt.datetime:
    """The last instant at which the running clock is still within target (breached after it)."""
    if sla.basis is ClockBasis.ROUND_THE_CLOCK:
        return clock.due_at
    # Due exactly at closing time: no working time passes until the next opening.
    return add_working_time(clock.due_at, _TICK, sla.calendar) - _TICK


def ticket_sla_columns(sla: TicketSla) -> dict[str, Any]:
    """The denormalised SLA columns of a ticket for these clocks (the queue sorts and filters on them)."""
    first, resolution = sla.first_response, sla.resolution
    running = [
        clock
        for clock in (first, resolution)
        if clock.stopped_at is None and not clock.paused and not clock.breached
    ]
    return {
        "first_response_due_at": first.due_at,
        "resolution_due_at": resolution.due_at,
        "first_response_at": first.stopped_at,
        "resolved_at": resolution.stopped_at,
        "first_response_seconds": _elapsed_seconds(first) if first.stopped_at else None,
        "resolution_seconds": _elapsed_seconds(resolution) if resolution.stopped_at else None,
        "first_response_breached": first.breached,
        "resolution_breached": resolution.breached,
        "next_due_at": min((clock.due_at for clock in running), default=None),
        "overdue_after": min((overdue_after(clock, sla) for clock in running), default=None),
        "sla_computed_at": sla.computed_at,
    }


def _elapsed_seconds(clock: SlaClock) -> int:
    return round(clock.elapsed.total_seconds())
