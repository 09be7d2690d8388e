"""The global search's newest-first walk: a b-tree on (kind, at DESC, id DESC) of the search rows.

`selectors.search` reads a kind's newest rows through it first (a common word's 50 newest matches
are among them), so a search at a million tickets does not sort every match of a common word.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("customer_ops", "0018_queue_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["kind", "-at", "-id"], name="search_kind_at_idx"),
        ),
    ]
