"""The one search: its table, the index each database reads, and the rows of existing data.

PostgreSQL: `pg_trgm` and a trigram GIN index on the folded text (why trigrams and not full-text
search: see `models/search.py`). SQLite: an FTS5 table with the trigram tokenizer over the same
text, kept in step by triggers (external content: the text is stored once). The existing
tickets, messages, customers and incidents get their rows through the same row builders the
services use (`services/search.py`), from the historical models.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from customer_ops.services.search import (
    customer_search_row,
    incident_search_row,
    message_search_row,
    ticket_search_row,
)

FTS = "customer_ops_search_fts"
TABLE = "customer_ops_searchentry"
SQLITE_INDEX = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(text, content='{TABLE}', content_rowid='id', "
    "tokenize='trigram')",
    f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}(rowid, text) VALUES (new.id, new.text); END",
    f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, text) VALUES ('delete', old.id, old.text); END",
    f"CREATE TRIGGER {FTS}_au AFTER UPDATE OF text ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, text) VALUES ('delete', old.id, old.text); "
    f"INSERT INTO {FTS}(rowid, text) VALUES (new.id, new.text); END",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TABLE IF EXISTS {FTS}",
]
PG_INDEX = [f"CREATE INDEX search_text_trgm_idx ON {TABLE} USING gin (text gin_trgm_ops)"]
PG_DROP = ["DROP INDEX IF EXISTS search_text_trgm_idx"]
BATCH = 2_000


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def index_install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, {"postgresql": PG_INDEX, "sqlite": SQLITE_INDEX}.get(vendor, []))


def index_remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, {"postgresql": PG_DROP, "sqlite": SQLITE_DROP}.get(vendor, []))


def fill(apps, schema_editor):
    entry = apps.get_model("customer_ops", "SearchEntry")
    contact_point = apps.get_model("customer_ops", "ContactPoint")
    contacts: dict[int, list[str]] = {}
    for customer_id, value in contact_point.objects.values_list("customer_id", "value"):
        contacts.setdefault(customer_id, []).append(value)
    sources = [
        ("Ticket", ticket_search_row),
        ("TicketMessage", message_search_row),
        ("Incident", incident_search_row),
    ]
    for model_name, row in sources:
        model = apps.get_model("customer_ops", model_name)
        batch = []
        for thing in model.objects.order_by("pk").iterator(chunk_size=BATCH):
            batch.append(entry(**row(thing)))
            if len(batch) >= BATCH:
                entry.objects.bulk_create(batch)
                batch = []
        entry.objects.bulk_create(batch)
    customers = apps.get_model("customer_ops", "Customer").objects.order_by("pk")
    entry.objects.bulk_create(
        [entry(**customer_search_row(c, contacts.get(c.pk, ()))) for c in customers.iterator()],
        batch_size=BATCH,
    )


class Migration(migrations.Migration):
    dependencies = [("customer_ops", "0016_email_threading")]

    operations = [
        TrigramExtension(),
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("ticket", "ticket"),
                            ("message", "message"),
                            ("customer", "customer"),
                            ("incident", "incident"),
                        ],
                        max_length=10,
                        verbose_name="النوع",
                    ),
                ),
                ("object_id", models.BigIntegerField(verbose_name="المعرّف")),
                (
                    "ticket_id",
                    models.BigIntegerField(blank=True, null=True, verbose_name="التذكرة"),
                ),
                (
                    "customer_id",
                    models.BigIntegerField(blank=True, null=True, verbose_name="العميل"),
                ),
                ("at", models.DateTimeField(verbose_name="الوقت")),
                ("text", models.TextField(verbose_name="نص البحث")),
            ],
            options={
                "verbose_name": "مدخل بحث",
                "verbose_name_plural": "مدخلات البحث",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "object_id"), name="search_entry_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("kind__in", ["ticket", "message", "customer", "incident"])
                        ),
                        name="search_entry_kind_known",
                    ),
                ],
            },
        ),
        migrations.RunPython(index_install, index_remove),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
