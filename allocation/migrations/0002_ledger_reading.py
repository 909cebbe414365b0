"""The watermark of allocation's reading of the transfer log; an existing ledger counts as read."""

from django.db import migrations, models


def start_at_the_end(apps, schema_editor):
    """Scenarios were kept current by the old hook until now: start reading after the last transfer."""
    transfer = apps.get_model("quotas", "QuotaTransfer")
    reading = apps.get_model("allocation", "LedgerReading")
    last = transfer.objects.using(schema_editor.connection.alias).order_by("-pk").values_list("pk", flat=True).first()
    reading.objects.using(schema_editor.connection.alias).create(reader="allocation", last_transfer_id=last or 0)


class Migration(migrations.Migration):

    dependencies = [
        ('allocation', '0001_initial'),
        ('quotas', '0006_allocation_moved_to_its_app'),
    ]

    operations = [
        migrations.CreateModel(
            name='LedgerReading',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reader', models.CharField(max_length=50, unique=True, verbose_name='reader')),
                ('last_transfer_id', models.BigIntegerField(default=0, verbose_name='last transfer read')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='read at')),
            ],
            options={
                'verbose_name': 'ledger reading',
                'verbose_name_plural': 'ledger readings',
            },
        ),
        migrations.RunPython(start_at_the_end, migrations.RunPython.noop),
    ]
