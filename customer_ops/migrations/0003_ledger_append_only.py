from django.db import migrations

from customer_ops import ledger_triggers


def install(apps, schema_editor):
    ledger_triggers.install(schema_editor.connection)


def remove(apps, schema_editor):
    ledger_triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("customer_ops", "0002_roles")]

    operations = [migrations.RunPython(install, remove)]
