"""The SLA health report: a period, its breach rate and verdict, per-priority averages, a chart.

Read-only: the report comes from `selectors.sla_report.sla_health_report` (database aggregates,
two queries). Telling the founders about a `critical` verdict is the scheduled review's job
(`services.sla_report.sla_health_review`), so browsing periods here notifies nobody.
"""

from __future__ import annotations

import csv
import datetime as dt
from io import StringIO
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from customer_ops.access import staff_required
from customer_ops.domain.priority import SUPPORT_PRIORITIES
from customer_ops.domain.sla import CRITICAL_FROM, WATCH_FROM
from customer_ops.forms import SlaReportForm
from customer_ops.selectors.calendar import business_timezone
from customer_ops.selectors.sla_report import sla_health_report
from customer_ops.views.actions import errors_text, submit
from dealix.http import HtmxHttpRequest

DEFAULT_WEEKS = 4
PRESET_WEEKS = (4, 12, 26)
REPORT = "customer_ops/reports/sla.html"


def _today() -> dt.date:
    return timezone.localtime(timezone.now(), business_timezone()).date()


def _period_form(request: HtmxHttpRequest) -> SlaReportForm:
    """The period asked for; by default the last four weeks up to today (Riyadh)."""
    if "date_from" in request.GET or "date_to" in request.GET:
        return SlaReportForm(request.GET)
    today = _today()
    start = today - dt.timedelta(weeks=DEFAULT_WEEKS) + dt.timedelta(days=1)
    return SlaReportForm({"date_from": start.isoformat(), "date_to": today.isoformat()})


def _report(form: SlaReportForm) -> dict[str, Any] | None:
    """The period's report, or None with the refusal on the form."""
    return submit(
        form,
        lambda data: sla_health_report(
            date_from=data["date_from"], date_to=data["date_to"], now=timezone.now()
        ),
    ).result


def _priority_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per priority (also those without tickets), with its targets beside the averages."""
    rows = []
    for level in SUPPORT_PRIORITIES:
        bucket = report["by_priority"].get(level.id.value, {})
        count = bucket.get("count", 0)
        first = bucket.get("avg_first_response_min")
        resolve = bucket.get("avg_resolution_hours")
        rows.append(
            {
                "priority": level.id.value,
                "count": count,
                "breaches": bucket.get("breaches", 0),
                "rate": bucket.get("breaches", 0) / count if count else None,
                "avg_first_response_min": first,
                "target_first_response_min": level.first_response_minutes,
                "first_over": first is not None and first > level.first_response_minutes,
                "avg_resolution_hours": resolve,
                "target_resolution_hours": level.resolution_target_hours,
                "resolve_over": resolve is not None and resolve > level.resolution_target_hours,
            }
        )
    return rows


def _presets(today: dt.date) -> list[dict[str, Any]]:
    return [
        {
            "weeks": weeks,
            "date_from": (today - dt.timedelta(weeks=weeks) + dt.timedelta(days=1)).isoformat(),
            "date_to": today.isoformat(),
        }
        for weeks in PRESET_WEEKS
    ]


@staff_required
@require_GET
@vary_on_headers("HX-Request")
def sla_report(request: HtmxHttpRequest) -> HttpResponse:
    form = _period_form(request)
    report = _report(form)
    context: dict[str, Any] = {
        "form": form,
        "report": report,
        "rows": _priority_rows(report) if report else [],
        "presets": _presets(_today()),
        "watch_from": WATCH_FROM,
        "critical_from": CRITICAL_FROM,
    }
    template_name = REPORT + ("#sla-report-body" if request.htmx else "")
    return render(request, template_name, context, status=200 if report else 422)


@staff_required
@require_GET
def sla_report_csv(request: HtmxHttpRequest) -> HttpResponse:
    """The report's rows as CSV: the period total, each priority, then each week."""
    form = _period_form(request)
    report = _report(form)
    if report is None:
        return HttpResponse(
            errors_text(form),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("القسم"),
            _("البند"),
            _("التذاكر"),
            _("المتجاوزة"),
            _("نسبة التجاوز"),
            _("متوسط أول رد (دقيقة)"),
            _("متوسط الحل (ساعة)"),
        ]
    )
    writer.writerow(
        [
            _("الفترة"),
            f"{report['from'].isoformat()}..{report['to'].isoformat()}",
            report["total_tickets"],
            report["total_breached"],
            report["breach_rate"],
            "",
            "",
        ]
    )
    for row in _priority_rows(report):
        writer.writerow(
            [
                _("الأولوية"),
                row["priority"],
                row["count"],
                row["breaches"],
                "" if row["rate"] is None else round(row["rate"], 3),
                row["avg_first_response_min"] if row["avg_first_response_min"] is not None else "",
                row["avg_resolution_hours"] if row["avg_resolution_hours"] is not None else "",
            ]
        )
    for week in report["weekly"]:
        writer.writerow(
            [
                _("الأسبوع"),
                week["iso_week"],
                week["total_tickets"],
                week["total_breached"],
                week["breach_rate"],
                "",
                "",
            ]
        )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"sla-report-{report['from'].isoformat()}-{report['to'].isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
