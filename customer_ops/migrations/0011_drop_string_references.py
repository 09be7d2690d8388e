"""Drop the string references carried over by 0010 and tie the new ones to their kinds."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("customer_ops", "0010_draft_references_and_notification_targets")]

    operations = [
        migrations.RemoveField(
            model_name='notification',
            name='url',
        ),
        migrations.RemoveField(
            model_name='outbounddraft',
            name='source_id',
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(fields=['kind', 'target_kind'], name='notification_target_idx'),
        ),
        migrations.AddConstraint(
            model_name='notification',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('target_kind', 'none'), ('customer__isnull', True), ('incident__isnull', True), ('period_end__isnull', True), ('period_start__isnull', True), ('target_day__isnull', True), ('ticket__isnull', True), ('touchpoint__isnull', True)), models.Q(('target_kind', 'ticket'), ('customer__isnull', True), ('incident__isnull', True), ('period_end__isnull', True), ('period_start__isnull', True), ('target_day__isnull', True), ('ticket__isnull', False), ('touchpoint__isnull', True)), models.Q(('target_kind', 'incident'), ('customer__isnull', True), ('incident__isnull', False), ('period_end__isnull', True), ('period_start__isnull', True), ('target_day__isnull', True), ('ticket__isnull', True), ('touchpoint__isnull', True)), models.Q(('target_kind', 'customer'), ('customer__isnull', False), ('incident__isnull', True), ('period_end__isnull', True), ('period_start__isnull', True), ('target_day__isnull', True), ('ticket__isnull', True), ('touchpoint__isnull', True)), models.Q(('target_kind', 'touchpoint'), ('customer__isnull', True), ('incident__isnull', True), ('period_end__isnull', True), ('period_start__isnull', True), ('target_day__isnull', False), ('ticket__isnull', True), ('touchpoint__isnull', False)), models.Q(('target_kind', 'sla_report'), ('customer__isnull', True), ('incident__isnull', True), ('period_end__isnull', False), ('period_start__isnull', False), ('target_day__isnull', True), ('ticket__isnull', True), ('touchpoint__isnull', True)), _connector='OR'), name='notification_target_matches_kind'),
        ),
        migrations.AddConstraint(
            model_name='outbounddraft',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('incident__isnull', True), ('source__in', ('ticket_first_response', 'ticket_reply')), ('ticket__isnull', False)), models.Q(('incident__isnull', False), ('source', 'incident_update'), ('ticket__isnull', True)), models.Q(models.Q(('source__in', ['ticket_first_response', 'ticket_reply', 'incident_update']), _negated=True), ('incident__isnull', True), ('ticket__isnull', True)), _connector='OR'), name='draft_source_reference_matches'),
        ),
    ]
