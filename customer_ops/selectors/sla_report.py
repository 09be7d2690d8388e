"""The SLA health report over stored tickets, computed with database aggregates.

Same fields and verdict as SPEC_RULES §5.4 (`build_sla_health_report`), over the tickets opened in
a period (dates in the business timezone, both inclusive). A ticket counts as breached when either
clock is past its target now — an open ticket past due is breached now, not only once it closes.
The measured times are clock times (working time for P2/P3, pauses excluded), as the breaches are.

Two queries whatever the number of tickets: one grouped by priority, one by ISO week.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncDate

from customer_ops.domain.errors import InvalidValue
from customer_ops.domain.sla import sla_verdict
from customer_ops.models import Ticket
from customer_ops.selectors.calendar import business_timezone
from customer_ops.selectors.tickets import breached_now_q

MAX_PERIOD_DAYS = 366


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
    """The §5.4 report for tickets opened in the period, plus a `weekly` breach-rate series."""
    tickets = tickets_opened_between(date_from=date_from, date_to=date_to)
    breached = breached_now_q(now)
    rows = (
        tickets.order_by()
        .values("priority")
        .annotate(
            count=Count("id"),
            breaches=Count("id", filter=breached),
            first_response_total=Sum("first_response_seconds"),
            responded_count=Count("first_response_seconds"),
            resolution_total=Sum("resolution_seconds"),
            resolved_count=Count("resolution_seconds"),
        )
        .order_by("priority")
    )
    by_priority: dict[str, dict[str, Any]] = {}
    total_tickets = total_breached = 0
    for row in rows:
        bucket: dict[str, Any] = {
            "count": row["count"],
            "breaches": row["breaches"],
            "total_first_response_min": round((row["first_response_total"] or 0) / 60, 2),
            "total_resolution_hours": round((row["resolution_total"] or 0) / 3600, 4),
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
        by_priority[row["priority"]] = bucket
        total_tickets += row["count"]
        total_breached += row["breaches"]

    breach_rate = _rate(total_breached, total_tickets)
    return {
        "from": date_from,
        "to": date_to,
        "total_tickets": total_tickets,
        "total_breached": total_breached,
        "breach_rate": breach_rate,
        "by_priority": by_priority,
        "verdict": sla_verdict(breach_rate).value,
        "weekly": weekly_breach_rates(
            tickets=tickets, now=now, date_from=date_from, date_to=date_to
        ),
    }


def week_start_sunday(day: dt.date) -> dt.date:
    """The Sunday that starts `day`'s week (the Saudi work week, as the check-ins count it)."""
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def weekly_breach_rates(
    *, tickets: QuerySet[Ticket], now: dt.datetime, date_from: dt.date, date_to: dt.date
) -> list[dict[str, Any]]:
    """Tickets and breaches per week (Sunday start, business timezone), oldest first.

    Every week of the period is there, a week without tickets as zero, so the chart's gaps are
    real. `iso_week` names the ISO week holding the week's Monday to Saturday.
    """
    zone = business_timezone()
    rows = (
        tickets.order_by()
        .annotate(day=TruncDate("opened_at", tzinfo=zone))
        .values("day")
        .annotate(total=Count("id"), breached=Count("id", filter=breached_now_q(now)))
    )
    counts: dict[dt.date, list[int]] = {}
    for row in rows:
        bucket = counts.setdefault(week_start_sunday(row["day"]), [0, 0])
        bucket[0] += row["total"]
        bucket[1] += row["breached"]
    weekly = []
    start, last = week_start_sunday(date_from), week_start_sunday(date_to)
    while start <= last:
        total, breached = counts.get(start, (0, 0))
        year, week, _ = (start + dt.timedelta(days=1)).isocalendar()
        weekly.append(
            {
                "week_start": start,
                "iso_week": f"{year}-W{week:02d}",
                "total_tickets": total,
                "total_breached": breached,
                "breach_rate": _rate(breached, total),
            }
        )
        start += dt.timedelta(days=7)
    return weekly
