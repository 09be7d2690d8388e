"""The SLA health review: the report for a period, and the founders told once about `critical`.

SPEC.md §6: a `critical` verdict notifies the founder. The notice is recorded per period and
verdict (`SlaVerdictNotice`, unique), so asking for the same report again — or two requests at
once — notifies nobody a second time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction

from customer_ops.domain.ledger import LedgerVerb
from customer_ops.domain.notifications import NotificationTarget
from customer_ops.domain.plurals import TICKETS, arabic_count
from customer_ops.domain.sla import SlaVerdict
from customer_ops.models import SlaVerdictNotice
from customer_ops.selectors.sla_report import sla_health_report
from customer_ops.services.ledger import ledger_record
from customer_ops.services.notifications import notify_founders


def sla_health_review(*, date_from: dt.date, date_to: dt.date, now: dt.datetime) -> dict[str, Any]:
    """The health report; on `critical`, the founders are notified once for this period."""
    report = sla_health_report(date_from=date_from, date_to=date_to, now=now)
    report["founders_notified"] = False
    if report["verdict"] == SlaVerdict.CRITICAL:
        report["founders_notified"] = _notify_critical_once(report, now=now)
    return report


def _notify_critical_once(report: dict[str, Any], *, now: dt.datetime) -> bool:
    """Record the notice and notify; False when this period's notice already exists."""
    period = {"period_from": report["from"], "period_to": report["to"]}
    if SlaVerdictNotice.objects.filter(**period, verdict=SlaVerdict.CRITICAL.value).exists():
        return False
    try:
        with transaction.atomic():
            notice = SlaVerdictNotice.objects.create(
                **period,
                verdict=SlaVerdict.CRITICAL.value,
                breach_rate=report["breach_rate"],
                total_tickets=report["total_tickets"],
                notified_at=now,
            )
            rate = f"{report['breach_rate']:.1%}"
            notified = notify_founders(
                kind="sla_critical",
                title=f"SLA حرج: {rate} من التذاكر تجاوزت الهدف",
                body=(
                    f"الفترة {report['from']} – {report['to']}: "
                    f"تجاوزت الـ SLA {arabic_count(report['total_breached'], TICKETS)}"
                    f" من أصل {report['total_tickets']:,}. "
                    "راجع التجاوزات وجمّد الإجراءات الحية حتى المراجعة (SUPPORT_SLA.md)."
                ),
                target=NotificationTarget.sla_report(start=report["from"], end=report["to"]),
                now=now,
            )
            ledger_record(
                verb=LedgerVerb.SLA_CRITICAL_NOTIFIED,
                obj=notice,
                actor_label="system:sla_health",
                at=now,
                after={
                    "from": report["from"],
                    "to": report["to"],
                    "breach_rate": report["breach_rate"],
                    "founders": notified,
                },
            )
    except IntegrityError:  # a concurrent request recorded it first
        return False
    return True
