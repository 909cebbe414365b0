"""Direction notices, moved here from positions: the table keeps its ``positions_`` name."""

import core.constraints
import core.dates
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MOVED = ['positiondirectionnotice']


def rename_content_types(apps, schema_editor):
    """The moved models keep their rows, permissions and grants: their content types change app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label='positions', model__in=MOVED).update(app_label='reconciliation')


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label='reconciliation', model__in=MOVED).update(app_label='positions')


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('positions', '0007_workflow_and_notices_moved_out'),
        ('institutions', '0003_date_bounds'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay where they are: only Django's picture of which app holds them changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='PositionDirectionNotice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('unit', 'Unit notice'), ('department', 'Department notice (batch)')], default='unit', max_length=20, verbose_name='kind')),
                        ('office_code', models.CharField(editable=False, max_length=20, verbose_name='office code')),
                        ('year', models.PositiveSmallIntegerField(editable=False, verbose_name='year')),
                        ('serial', models.PositiveIntegerField(editable=False, verbose_name='serial')),
                        ('number', models.CharField(editable=False, max_length=60, unique=True, verbose_name='notice number')),
                        ('issued_on', models.DateField(validators=[core.dates.DateBounds()], verbose_name='issued on')),
                        ('reconciled_on', models.DateField(validators=[core.dates.DateBounds()], verbose_name='figures as of')),
                        ('figures', models.JSONField(default=dict, editable=False, verbose_name='figures')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('batch', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='unit_notices', to='reconciliation.positiondirectionnotice', verbose_name='department notice')),
                        ('document', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='position_notices', to='institutions.approvaldocument', verbose_name='basis document')),
                        ('institution', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='position_notices', to='institutions.institution', verbose_name='institution')),
                        ('issued_by', models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='issued by')),
                        ('supervisor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='department_position_notices', to='institutions.institution', verbose_name='supervising department')),
                    ],
                    options={
                        'verbose_name': 'quota-use direction notice',
                        'verbose_name_plural': 'quota-use direction notices',
                        'db_table': 'positions_positiondirectionnotice',
                        'ordering': ('-issued_on', '-year', '-serial'),
                        'constraints': [core.constraints.FieldUniqueConstraint(error_field='serial', fields=('office_code', 'year', 'serial'), name='notice_number_unique', violation_error_message='A notice with this number already exists.'), core.constraints.FieldCheckConstraint(condition=models.Q(models.Q(('institution__isnull', False), ('kind', 'unit')), models.Q(('batch__isnull', True), ('institution__isnull', True), ('kind', 'department'), ('supervisor__isnull', False)), _connector='OR'), error_field='kind', name='notice_holder_fits_kind', violation_error_message='A unit notice names its unit; a department notice names its department.')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_types, restore_content_types),
    ]
