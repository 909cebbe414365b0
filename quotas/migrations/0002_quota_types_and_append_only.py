"""The four quota types, and database triggers that refuse edits (and, on PostgreSQL, deletes) of transfers."""
from django.db import migrations

TYPES = [("institutional", 1), ("administrative", 2), ("political_legal", 3), ("worker", 4)]


def create_types(apps, schema_editor):
    QuotaType = apps.get_model("quotas", "QuotaType")
    for code, order in TYPES:
        QuotaType.objects.get_or_create(code=code, defaults={"sort_order": order})


SQLITE_UP = [
    """CREATE TRIGGER quotas_transfer_no_update BEFORE UPDATE ON quotas_quotatransfer
       BEGIN SELECT RAISE(ABORT, 'ledger transfers are append-only'); END""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS quotas_transfer_no_update"]
# Row-level triggers: TRUNCATE (used by test teardown) is not affected.
POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION quotas_transfer_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'ledger transfers are append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER quotas_transfer_no_update BEFORE UPDATE OR DELETE ON quotas_quotatransfer
       FOR EACH ROW EXECUTE FUNCTION quotas_transfer_append_only()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS quotas_transfer_no_update ON quotas_quotatransfer",
    "DROP FUNCTION IF EXISTS quotas_transfer_append_only()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("quotas", "0001_initial")]

    operations = [
        migrations.RunPython(create_types, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
