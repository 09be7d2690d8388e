"""The queue's index: (status, next due, id) plus what "breached now" and the counts read.

It replaces (status, next_due_at), its prefix. With the id in the index, PostgreSQL sorts the
working queue and counts it by an index-only scan (the heap was read for every active ticket to
get the id), and a search joins its matches to this index rather than to the table.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('customer_ops', '0017_search'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='ticket',
            name='ticket_status_due_idx',
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['status', 'next_due_at', 'id', 'first_response_breached', 'resolution_breached', 'overdue_after', 'assignee'], name='ticket_queue_idx'),
        ),
    ]
