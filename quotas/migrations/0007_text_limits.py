"""Free text of a transfer has a maximum length.

On SQLite, altering a column rebuilds the table and the rebuild drops its triggers, so the append-only trigger of
0002 is created again afterwards (any later migration that alters this table on SQLite must do the same;
``quotas/tests/test_immutability.py`` fails if it does not).
"""
from django.db import migrations, models

SQLITE_TRIGGER = [
    "DROP TRIGGER IF EXISTS quotas_transfer_no_update",
    """CREATE TRIGGER quotas_transfer_no_update BEFORE UPDATE ON quotas_quotatransfer
       BEGIN SELECT RAISE(ABORT, 'ledger transfers are append-only'); END""",
]


def recreate_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGER:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('quotas', '0006_allocation_moved_to_its_app'),
    ]

    operations = [
        migrations.AlterField(
            model_name='quotatransfer',
            name='note',
            field=models.TextField(blank=True, max_length=2000, verbose_name='note'),
        ),
        migrations.RunPython(recreate_sqlite_trigger, recreate_sqlite_trigger),
    ]
