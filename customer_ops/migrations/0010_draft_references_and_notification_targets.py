"""Draft sources and notification targets become references (issue #13).

`OutboundDraft.source_id` (a string guarded by `isdigit()`) becomes `ticket` / `incident` foreign
keys, and `Notification.url` (an API address turned back into a console route by regexes) becomes
a typed target. This migration adds the new columns and carries existing rows over; 0011 drops the
old columns and adds the constraints (in its own transaction: PostgreSQL does not alter a table
with rows updated earlier in the same transaction).
"""

import re
from urllib.parse import parse_qs, urlsplit

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TICKET_SOURCES = ("ticket_first_response", "ticket_reply")
# The addresses services stored before: API addresses and a few console ones.
_LEGACY = [
    (re.compile(r"^(?:/api/v1)?/incidents/(\d+)/?$"), "incident"),
    (re.compile(r"^(?:/api/v1)?/tickets/(\d+)/?$"), "ticket"),
    (re.compile(r"^(?:/api/v1)?/customers/(\d+)/?"), "customer"),
]


def legacy_target(url):
    """The typed target of a stored notification address (kind, columns); "none" if unknown."""
    parts = urlsplit(url or "")
    if parts.scheme or parts.netloc:
        return "none", {}
    for pattern, kind in _LEGACY:
        if match := pattern.match(parts.path):
            return kind, {f"{kind}_id": int(match.group(1))}
    query = parse_qs(parts.query)
    if parts.path.rstrip("/") in ("/api/v1/sla/health", "/reports/sla"):
        start = (query.get("from") or query.get("date_from") or [None])[0]
        end = (query.get("to") or query.get("date_to") or [None])[0]
        if start and end:
            return "sla_report", {"period_start": start, "period_end": end}
    if parts.path.rstrip("/") == "/success" and query.get("touchpoint") and query.get("day"):
        touchpoint = query["touchpoint"][0]
        if touchpoint.isdigit():
            return "touchpoint", {"touchpoint_id": int(touchpoint), "target_day": query["day"][0]}
    return "none", {}


def carry_over(apps, schema_editor):
    OutboundDraft = apps.get_model("customer_ops", "OutboundDraft")
    Ticket = apps.get_model("customer_ops", "Ticket")
    Incident = apps.get_model("customer_ops", "Incident")
    Notification = apps.get_model("customer_ops", "Notification")
    models_by_kind = {
        "ticket": Ticket,
        "incident": Incident,
        "customer": apps.get_model("customer_ops", "Customer"),
        "touchpoint": apps.get_model("customer_ops", "SuccessTouchpoint"),
    }
    for draft in OutboundDraft.objects.exclude(source_id="").iterator():
        ref = int(draft.source_id) if draft.source_id.isdigit() else None
        if draft.source in TICKET_SOURCES and Ticket.objects.filter(pk=ref).exists():
            draft.ticket_id = ref
        elif draft.source == "incident_update" and Incident.objects.filter(pk=ref).exists():
            draft.incident_id = ref
        draft.save(update_fields=["ticket", "incident"])
    # A reply whose ticket is gone (or was never recorded) can no longer claim to answer one.
    OutboundDraft.objects.filter(source__in=TICKET_SOURCES, ticket__isnull=True).update(
        source="manual"
    )
    OutboundDraft.objects.filter(source="incident_update", incident__isnull=True).update(
        source="manual"
    )
    for notification in Notification.objects.exclude(url="").iterator():
        kind, columns = legacy_target(notification.url)
        row_model = models_by_kind.get(kind)
        row_id = columns.get(f"{kind}_id")
        if row_model is not None and not row_model.objects.filter(pk=row_id).exists():
            kind, columns = "none", {}
        notification.target_kind = kind
        for column, value in columns.items():
            setattr(notification, column, value)
        notification.save(update_fields=["target_kind", *(c.removesuffix("_id") for c in columns)])


class Migration(migrations.Migration):

    dependencies = [
        ('customer_ops', '0009_draft_send_started_at'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='notification',
            name='customer',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='customer_ops.customer'),
        ),
        migrations.AddField(
            model_name='notification',
            name='incident',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='customer_ops.incident'),
        ),
        migrations.AddField(
            model_name='notification',
            name='period_end',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='notification',
            name='period_start',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='notification',
            name='target_day',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='notification',
            name='target_kind',
            field=models.CharField(choices=[('none', 'none'), ('ticket', 'ticket'), ('incident', 'incident'), ('customer', 'customer'), ('touchpoint', 'touchpoint'), ('sla_report', 'sla_report')], default='none', max_length=20, verbose_name='يخص'),
        ),
        migrations.AddField(
            model_name='notification',
            name='ticket',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='customer_ops.ticket'),
        ),
        migrations.AddField(
            model_name='notification',
            name='touchpoint',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='customer_ops.successtouchpoint'),
        ),
        migrations.AddField(
            model_name='outbounddraft',
            name='incident',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='update_drafts', to='customer_ops.incident', verbose_name='الحادثة'),
        ),
        migrations.AddField(
            model_name='outbounddraft',
            name='ticket',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='drafts', to='customer_ops.ticket', verbose_name='التذكرة'),
        ),
        migrations.RunPython(carry_over, migrations.RunPython.noop),
    ]
