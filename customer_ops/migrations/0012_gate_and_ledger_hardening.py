"""Issue #17: four eyes by authorship, and the highest severity an incident ever had.

- `OutboundDraft.editor_ids`: everyone but the author who changed a draft's content, as ",7,12,";
  the constraint `draft_approver_not_editor` keeps each of them from approving it, as
  `draft_approver_not_author` keeps the author. Existing drafts start with no recorded editors
  (the ledger's `drafts.edited` rows say who edited before this migration).
- `Incident.peak_severity`: the most severe of the current, the triaged and every severity the
  ledger recorded (`incidents.severity_changed`), so an incident that was SEV1 and was brought
  down still needs its post-mortem to close. Filled from the ledger here, kept by the service.

Self-contained: no app code imported (historical models only).
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models.functions import Cast, Concat

SEVERITIES = ("SEV1", "SEV2", "SEV3")


def fill_peak_severity(apps, schema_editor):
    incident_model = apps.get_model("customer_ops", "Incident")
    ledger_model = apps.get_model("customer_ops", "LedgerEntry")
    seen: dict[str, set[str]] = {}
    changes = ledger_model.objects.filter(
        verb="incidents.severity_changed", object_type="incident"
    ).values_list("object_id", "before", "after")
    for object_id, before, after in changes.iterator():
        for row in (before, after):
            if isinstance(row, dict) and row.get("severity") in SEVERITIES:
                seen.setdefault(str(object_id), set()).add(row["severity"])
    for incident in incident_model.objects.all().iterator():
        known = {incident.severity, incident.triaged_severity, *seen.get(str(incident.pk), ())}
        peak = min(s for s in known if s in SEVERITIES)  # "SEV1" < "SEV2" < "SEV3"
        incident_model.objects.filter(pk=incident.pk).update(peak_severity=peak)


class Migration(migrations.Migration):
    dependencies = [
        ("customer_ops", "0011_drop_string_references"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="incident",
            name="peak_severity",
            field=models.CharField(
                choices=[("SEV1", "SEV1"), ("SEV2", "SEV2"), ("SEV3", "SEV3")],
                default="SEV3",
                max_length=4,
                verbose_name="أعلى خطورة بلغتها",
            ),
        ),
        migrations.RunPython(fill_peak_severity, migrations.RunPython.noop),
        migrations.AddField(
            model_name="outbounddraft",
            name="editor_ids",
            field=models.TextField(blank=True, default="", verbose_name="عدّلها"),
        ),
        migrations.AddConstraint(
            model_name="incident",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("peak_severity__in", ["SEV1", "SEV2", "SEV3"]),
                    ("peak_severity__lte", models.F("severity")),
                    ("peak_severity__lte", models.F("triaged_severity")),
                ),
                name="incident_peak_severity_is_highest",
            ),
        ),
        migrations.AddConstraint(
            model_name="outbounddraft",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("approved_by__isnull", True),
                    models.Q(
                        (
                            "editor_ids__contains",
                            Concat(
                                models.Value(","),
                                Cast("approved_by", output_field=models.CharField()),
                                models.Value(","),
                            ),
                        ),
                        _negated=True,
                    ),
                    _connector="OR",
                ),
                name="draft_approver_not_editor",
            ),
        ),
    ]
