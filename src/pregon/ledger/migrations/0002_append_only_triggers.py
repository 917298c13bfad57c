"""Database triggers that refuse UPDATE and DELETE on the log's insert-only tables.

Vendor-conditional: PostgreSQL gets PL/pgSQL trigger functions, SQLite RAISE(ABORT) triggers;
other databases get none (the application-level refusals still hold).
"""

from django.db import migrations

from pregon.ledger import triggers


def install(apps, schema_editor):
    for statement in triggers.create_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def remove(apps, schema_editor):
    for statement in triggers.drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
