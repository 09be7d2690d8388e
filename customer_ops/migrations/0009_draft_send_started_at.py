"""OutboundDraft.send_started_at: the send's claim, committed before the email leaves (issue #9).

A process killed between the mail server's acceptance and the commit used to leave the draft
`approved`, and a retry emailed the customer again. Now a send first commits this timestamp,
then delivers, then records `sent`; a draft still carrying it is refused (409) until a founder
checks the sent mailbox and marks it sent or releases it. Nullable, so existing rows need nothing.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("customer_ops", "0008_sla_report_week_statistics"),
    ]

    operations = [
        migrations.AddField(
            model_name="outbounddraft",
            name="send_started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="بدأ إرساله في"),
        ),
    ]
