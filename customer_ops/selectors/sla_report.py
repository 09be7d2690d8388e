"""The SLA health report over stored tickets, computed with database aggregates.

Same fields and verdict as SPEC_RULES §5.4 (`build_sla_health_report`), over the tickets opened in
a period (dates in the business timezone, both inclusive). A ticket counts as breached when either
clock is past its target now — an open ticket past due is breached now, not only once it closes.
The measured times are clock times (working time for P2/P3, pauses excluded), as the breaches are.

One query whatever the number of tickets: grouped by week (Sunday start, the Saudi work week)
and priority; every week of the period is in the series, an empty week as zero.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import TruncWeek

from customer_ops.domain.errors import InvalidValue
from customer_ops.domain.sla import sla_verdict
from customer_ops.models import Ticket
from customer_ops.selectors.calendar import business_timezone
from customer_ops.selectors.tickets import breached_now_q

MAX_PERIOD_DAYS = 366
ONE_DAY = dt.timedelta(days=1)


def period_bounds(*, date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the period in the business timezone; `date_to` is included."""
    if date_from > date_to:
        raise InvalidValue("from", "from must not be after to", message_ar="«من» بعد «إلى»")
    if (date_to - date_from).days >= MAX_PERIOD_DAYS:
        raise InvalidValue("to", f"a period spans at most {MAX_PERIOD_DAYS} days")
    zone = business_timezone()
    return (
        dt.datetime.combine(date_from, dt.time(), tzinfo=zone),
        dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), tzinfo=zone),
    )


def tickets_opened_between(*, date_from: dt.date, date_to: dt.date) -> QuerySet[Ticket]:
    start, end = period_bounds(date_from=date_from, date_to=date_to)
    return Ticket.objects.filter(opened_at__gte=start, opened_at__lt=end)


def _rate(breached: int, total: int) -> float:
    return round(breached / total, 3) if total else 0.0


def sla_health_report(*, date_from: dt.date, date_to: dt.date, now: dt.datetime) -> dict[str, Any]:
    """The §5.4 report for tickets opened in the period, plus a `weekly` breach-rate series.

    One query, grouped by week and priority (at most 53 × 4 rows); the per-priority buckets and
    the weekly series are the sums of those rows. The week is computed once per ticket, by the
    same scan that counts it, instead of a second pass over the period's tickets. Weeks start on
    Sunday: the database truncates to Monday weeks, so it truncates the day after (a Sunday's
    next day is the Monday that starts its week) and the Sunday is that Monday less a day.
    """
    tickets = tickets_opened_between(date_from=date_from, date_to=date_to)
    zone = business_timezone()
    rows = (
        tickets.order_by()
        .annotate(week=TruncWeek(F("opened_at") + ONE_DAY, tzinfo=zone))
        .values("week", "priority")
        .annotate(
            count=Count("id"),
            breaches=Count("id", filter=breached_now_q(now)),
            first_response_total=Sum("first_response_seconds"),
            responded_count=Count("first_response_seconds"),
            resolution_total=Sum("resolution_seconds"),
            resolved_count=Count("resolution_seconds"),
        )
        .order_by("priority", "week")
    )
    sums: dict[str, dict[str, int]] = {}
    weeks: dict[dt.date, list[int]] = {}
    for row in rows:
        bucket = sums.setdefault(row["priority"], dict.fromkeys(_SUMMED, 0))
        values: dict[str, Any] = dict(row)  # the grouped row, read by the summed column names
        for key in _SUMMED:
            bucket[key] += values[key] or 0
        sunday = row["week"].astimezone(zone).date() - ONE_DAY
        week = weeks.setdefault(sunday, [0, 0])
        week[0] += row["count"]
        week[1] += row["breaches"]

    by_priority = {priority: _bucket(row) for priority, row in sums.items()}
    total_tickets = sum(row["count"] for row in sums.values())
    total_breached = sum(row["breaches"] for row in sums.values())
    breach_rate = _rate(total_breached, total_tickets)
    return {
        "from": date_from,
        "to": date_to,
        "total_tickets": total_tickets,
        "total_breached": total_breached,
        "breach_rate": breach_rate,
        "by_priority": by_priority,
        "verdict": sla_verdict(breach_rate).value,
        "weekly": [
            _week(start, *weeks.get(start, (0, 0)))
            for start in weeks_between(date_from=date_from, date_to=date_to)
        ],
    }


_SUMMED = (
    "count",
    "breaches",
    "first_response_total",
    "responded_count",
    "resolution_total",
    "resolved_count",
)


def _bucket(row: dict[str, int]) -> dict[str, Any]:
    bucket: dict[str, Any] = {
        "count": row["count"],
        "breaches": row["breaches"],
        "total_first_response_min": round(row["first_response_total"] / 60, 2),
        "total_resolution_hours": round(row["resolution_total"] / 3600, 4),
        "responded_count": row["responded_count"],
        "resolved_count": row["resolved_count"],
    }
    if row["responded_count"]:
        bucket["avg_first_response_min"] = round(
            row["first_response_total"] / 60 / row["responded_count"], 1
        )
    if row["resolved_count"]:
        bucket["avg_resolution_hours"] = round(
            row["resolution_total"] / 3600 / row["resolved_count"], 2
        )
    return bucket


def week_start_sunday(day: dt.date) -> dt.date:
    """The Sunday that starts `day`'s week (the Saudi work week, as the check-ins count it)."""
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def weeks_between(*, date_from: dt.date, date_to: dt.date) -> list[dt.date]:
    """The Sundays of every week the period touches, oldest first."""
    start, last = week_start_sunday(date_from), week_start_sunday(date_to)
    return [start + dt.timedelta(weeks=n) for n in range((last - start).days // 7 + 1)]


def _week(start: dt.date, total: int, breached: int) -> dict[str, Any]:
    # `iso_week` names the ISO week holding this week's Monday to Saturday.
    year, week, _ = (start + ONE_DAY).isocalendar()
    return {
        "week_start": start,
        "iso_week": f"{year}-W{week:02d}",
        "total_tickets": total,
        "total_breached": breached,
        "breach_rate": _rate(breached, total),
    }
