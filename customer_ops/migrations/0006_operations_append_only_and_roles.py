from django.db import migrations

from customer_ops import ledger_triggers
from customer_ops.roles import sync_role_permissions


def install_triggers(apps, schema_editor):
    # Re-installs the ledger's triggers (idempotent) and adds those of the SLA events and the
    # incident timeline, which exist from 0005 on.
    ledger_triggers.install(schema_editor.connection)


def drop_new_triggers(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table, prefix, message in ledger_triggers.APPEND_ONLY_TABLES:
            if table == ledger_triggers.TABLE:
                continue
            for statement in ledger_triggers._BUILDERS[(connection.vendor, False)](
                table, prefix, message
            ):
                cursor.execute(statement)


def grant_role_permissions(apps, schema_editor):
    sync_role_permissions(apps)


class Migration(migrations.Migration):
    dependencies = [("customer_ops", "0005_operations")]

    operations = [
        migrations.RunPython(install_triggers, drop_new_triggers),
        migrations.RunPython(grant_role_permissions, migrations.RunPython.noop),
    ]
