"""PostgreSQL statistics on the health report's week expression, so the report is planned right.

The weekly series of the SLA health report groups tickets by `date_trunc('week', opened_at AT TIME
ZONE <business timezone>)`. PostgreSQL keeps no statistics for an expression, so it guessed one
group per ticket (274,000 groups for a year with 1,000,000 SLA events, where there are 53) and
planned a sort of every row, spilling to disk, instead of a small hash table: the weekly query took
four times as long as the per-priority one over the same rows (bench/sla_health_pg.py). Extended
statistics on the expression (PostgreSQL 14+) give ANALYZE, and autovacuum's analyses after it,
the real number of weeks; with `priority` in the same object they also cover grouping by both.

The expression names the business timezone as configured when this migration runs
(`TIME_ZONE`, from `DJANGO_TIME_ZONE`, default Asia/Riyadh), because the planner matches it literally: after
changing that setting, migrate this app back to 0007 and forward again. Nothing to do on SQLite.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

NAME = "ticket_priority_opened_week_stats"


def create_statistics(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or connection.pg_version < 140000:
        return
    zone = str(ZoneInfo(settings.TIME_ZONE))  # refuses anything that is not a timezone name
    literal = "'" + zone.replace("'", "''") + "'"
    schema_editor.execute(
        f"CREATE STATISTICS IF NOT EXISTS {NAME} ON priority, "
        f"(date_trunc('week', opened_at AT TIME ZONE {literal})) FROM customer_ops_ticket"
    )
    schema_editor.execute("ANALYZE customer_ops_ticket")


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("customer_ops", "0007_scheduling_and_freeze")]

    operations = [migrations.RunPython(create_statistics, drop_statistics)]
