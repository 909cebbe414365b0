"""Zero-based allocation, moved here from quotas: its tables keep their ``quotas_`` names."""

import core.constraints
import core.dates
import django.core.validators
import django.db.models.deletion
import simple_history.models
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


MOVED = ['allocationscenario', 'historicalallocationscenario', 'historicalregionindicator', 'historicalscenarioarea', 'regionindicator', 'scenarioarea', 'scenarioresult']


def rename_content_types(apps, schema_editor):
    """The moved models keep their rows, permissions and grants: their content types change app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label='quotas', model__in=MOVED).update(app_label='allocation')


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label='allocation', model__in=MOVED).update(app_label='quotas')


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('institutions', '0003_date_bounds'),
        ('quotas', '0006_allocation_moved_to_its_app'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay where they are: only Django's picture of which app holds them changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AllocationScenario',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('province_total', models.PositiveIntegerField(verbose_name='province-approved total')),
                        ('indicator_year', models.PositiveSmallIntegerField(help_text='The year of the population, area and GDP figures.', validators=[core.dates.validate_year], verbose_name='indicator year')),
                        ('fiscal_years', models.JSONField(default=list, help_text='The years whose fiscal revenue is averaged, e.g. [2018, 2019].', verbose_name='fiscal years')),
                        ('weight_population', models.DecimalField(decimal_places=2, max_digits=6, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name='weight of population (%)')),
                        ('weight_area', models.DecimalField(decimal_places=2, max_digits=6, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name='weight of area (%)')),
                        ('weight_gdp', models.DecimalField(decimal_places=2, max_digits=6, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name='weight of GDP (%)')),
                        ('weight_fiscal', models.DecimalField(decimal_places=2, max_digits=6, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name='weight of fiscal revenue (%)')),
                        ('method', models.CharField(choices=[('largest_remainder', 'Largest remainder (Hamilton)'), ('dhondt', "D'Hondt (Jefferson)"), ('sainte_lague', 'Sainte-Laguë (Webster)'), ('huntington_hill', 'Huntington–Hill (equal proportions)')], default='largest_remainder', max_length=30, verbose_name='method')),
                        ('county_controlled_share', models.DecimalField(decimal_places=4, default=Decimal('0'), help_text="Share of each county's result held under controlled use (0.1 = 10%), unless the county has its own rule.", max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('1'))], verbose_name="counties' controlled-use share")),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('stale', 'Stale (inputs changed)'), ('computing', 'Computing'), ('computed', 'Computed'), ('failed', 'Failed'), ('approved', 'Approved'), ('applied', 'Applied')], default='draft', editable=False, max_length=20, verbose_name='status')),
                        ('input_hash', models.CharField(blank=True, editable=False, max_length=64, verbose_name='input hash')),
                        ('last_error', models.TextField(blank=True, editable=False, verbose_name='last error')),
                        ('computed_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='computed at')),
                        ('approved_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='approved at')),
                        ('approved_inputs', models.JSONField(blank=True, editable=False, help_text='What the result was computed from when it was approved; applying checks them again.', null=True, verbose_name='inputs as approved')),
                        ('applied_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='applied at')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('applied_document', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='institutions.approvaldocument', verbose_name='applied under document')),
                        ('approved_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approved by')),
                        ('copied_from', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='copies', to='allocation.allocationscenario', verbose_name='copied from')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                        ('quota_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='scenarios', to='quotas.quotatype', verbose_name='quota type')),
                        ('scope_region', models.ForeignKey(help_text='The city whose districts and counties share the total.', on_delete=django.db.models.deletion.PROTECT, related_name='scenarios', to='institutions.region', verbose_name='scope')),
                    ],
                    options={
                        'verbose_name': 'allocation scenario',
                        'verbose_name_plural': 'allocation scenarios',
                        'db_table': 'quotas_allocationscenario',
                        'ordering': ('-created_at', '-pk'),
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalAllocationScenario',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('province_total', models.PositiveIntegerField(verbose_name='province-approved total')),
                        ('indicator_year', models.PositiveSmallIntegerField(help_text='The year of the population, area and GDP figures.', validators=[core.dates.validate_year], verbose_name='indicator year')),
                        ('fiscal_years', models.JSONField(default=list, help_text='The years whose fiscal revenue is averaged, e.g. [2018, 2019].', verbose_name='fiscal years')),
                        ('weight_population', models.DecimalField(decimal_places=2, max_digits=6, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name='weight of population (%)')),
                        ('weight_area', models.DecimalField(decimal_places=2, max_digits=6, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name='weight of area (%)')),
                        ('weight_gdp', models.DecimalField(decimal_places=2, max_digits=6, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name='weight of GDP (%)')),
                        ('weight_fiscal', models.DecimalField(decimal_places=2, max_digits=6, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name='weight of fiscal revenue (%)')),
                        ('method', models.CharField(choices=[('largest_remainder', 'Largest remainder (Hamilton)'), ('dhondt', "D'Hondt (Jefferson)"), ('sainte_lague', 'Sainte-Laguë (Webster)'), ('huntington_hill', 'Huntington–Hill (equal proportions)')], default='largest_remainder', max_length=30, verbose_name='method')),
                        ('county_controlled_share', models.DecimalField(decimal_places=4, default=Decimal('0'), help_text="Share of each county's result held under controlled use (0.1 = 10%), unless the county has its own rule.", max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('1'))], verbose_name="counties' controlled-use share")),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('stale', 'Stale (inputs changed)'), ('computing', 'Computing'), ('computed', 'Computed'), ('failed', 'Failed'), ('approved', 'Approved'), ('applied', 'Applied')], default='draft', editable=False, max_length=20, verbose_name='status')),
                        ('input_hash', models.CharField(blank=True, editable=False, max_length=64, verbose_name='input hash')),
                        ('last_error', models.TextField(blank=True, editable=False, verbose_name='last error')),
                        ('computed_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='computed at')),
                        ('approved_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='approved at')),
                        ('approved_inputs', models.JSONField(blank=True, editable=False, help_text='What the result was computed from when it was approved; applying checks them again.', null=True, verbose_name='inputs as approved')),
                        ('applied_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='applied at')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('applied_document', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='institutions.approvaldocument', verbose_name='applied under document')),
                        ('approved_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approved by')),
                        ('copied_from', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='allocation.allocationscenario', verbose_name='copied from')),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('quota_type', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='quotas.quotatype', verbose_name='quota type')),
                        ('scope_region', models.ForeignKey(blank=True, db_constraint=False, help_text='The city whose districts and counties share the total.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='institutions.region', verbose_name='scope')),
                    ],
                    options={
                        'verbose_name': 'historical allocation scenario',
                        'verbose_name_plural': 'historical allocation scenarios',
                        'db_table': 'quotas_historicalallocationscenario',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalRegionIndicator',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(validators=[core.dates.validate_year], verbose_name='year')),
                        ('indicator', models.CharField(choices=[('resident_population', 'Resident population'), ('temporary_population', 'Temporary population'), ('area', 'Area (km²)'), ('gdp', 'GDP (100 million yuan)'), ('fiscal_revenue', 'Fiscal revenue (100 million yuan)')], max_length=30, verbose_name='indicator')),
                        ('value', models.DecimalField(decimal_places=4, max_digits=20, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='value')),
                        ('source_note', models.CharField(blank=True, max_length=300, verbose_name='source')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('region', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='institutions.region', verbose_name='region')),
                    ],
                    options={
                        'verbose_name': 'historical region indicator',
                        'verbose_name_plural': 'historical region indicators',
                        'db_table': 'quotas_historicalregionindicator',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalScenarioArea',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('floor', models.PositiveIntegerField(blank=True, help_text='At least this many quotas from the remainder.', null=True, verbose_name='floor')),
                        ('cap', models.PositiveIntegerField(blank=True, help_text='At most this many quotas from the remainder.', null=True, verbose_name='cap')),
                        ('reserve_override', models.PositiveIntegerField(blank=True, null=True, verbose_name='fixed reserve override')),
                        ('reserve_reason', models.CharField(blank=True, max_length=300, verbose_name='reason for the override')),
                        ('controlled_share', models.DecimalField(blank=True, decimal_places=4, max_digits=5, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('1'))], verbose_name='controlled-use share')),
                        ('controlled_count', models.PositiveIntegerField(blank=True, null=True, verbose_name='controlled-use number')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('region', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='institutions.region', verbose_name='region')),
                        ('scenario', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='allocation.allocationscenario', verbose_name='scenario')),
                    ],
                    options={
                        'verbose_name': 'historical scenario area',
                        'verbose_name_plural': 'historical scenario areas',
                        'db_table': 'quotas_historicalscenarioarea',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='RegionIndicator',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(validators=[core.dates.validate_year], verbose_name='year')),
                        ('indicator', models.CharField(choices=[('resident_population', 'Resident population'), ('temporary_population', 'Temporary population'), ('area', 'Area (km²)'), ('gdp', 'GDP (100 million yuan)'), ('fiscal_revenue', 'Fiscal revenue (100 million yuan)')], max_length=30, verbose_name='indicator')),
                        ('value', models.DecimalField(decimal_places=4, max_digits=20, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='value')),
                        ('source_note', models.CharField(blank=True, max_length=300, verbose_name='source')),
                        ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='indicators', to='institutions.region', verbose_name='region')),
                    ],
                    options={
                        'verbose_name': 'region indicator',
                        'verbose_name_plural': 'region indicators',
                        'db_table': 'quotas_regionindicator',
                        'ordering': ('region__code', 'year', 'indicator'),
                        'constraints': [core.constraints.FieldUniqueConstraint(error_field='indicator', fields=('region', 'year', 'indicator'), name='one_indicator_value_per_region_and_year', violation_error_message='This region already has a value for this indicator and year.'), core.constraints.FieldCheckConstraint(condition=models.Q(('value__gte', 0)), error_field='value', name='indicator_value_not_negative', violation_error_message='An indicator value cannot be negative.')],
                    },
                ),
                migrations.CreateModel(
                    name='ScenarioArea',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('floor', models.PositiveIntegerField(blank=True, help_text='At least this many quotas from the remainder.', null=True, verbose_name='floor')),
                        ('cap', models.PositiveIntegerField(blank=True, help_text='At most this many quotas from the remainder.', null=True, verbose_name='cap')),
                        ('reserve_override', models.PositiveIntegerField(blank=True, null=True, verbose_name='fixed reserve override')),
                        ('reserve_reason', models.CharField(blank=True, max_length=300, verbose_name='reason for the override')),
                        ('controlled_share', models.DecimalField(blank=True, decimal_places=4, max_digits=5, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('1'))], verbose_name='controlled-use share')),
                        ('controlled_count', models.PositiveIntegerField(blank=True, null=True, verbose_name='controlled-use number')),
                        ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='institutions.region', verbose_name='region')),
                        ('scenario', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='areas', to='allocation.allocationscenario', verbose_name='scenario')),
                    ],
                    options={
                        'verbose_name': 'scenario area',
                        'verbose_name_plural': 'scenario areas',
                        'db_table': 'quotas_scenarioarea',
                        'ordering': ('scenario', 'region__code'),
                        'constraints': [core.constraints.FieldUniqueConstraint(error_field='region', fields=('scenario', 'region'), name='one_setting_per_scenario_area', violation_error_message='This area already has settings in this scenario.')],
                    },
                ),
                migrations.CreateModel(
                    name='ScenarioResult',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('fixed_reserve', models.IntegerField(verbose_name='fixed reserve')),
                        ('reserve_overridden', models.BooleanField(default=False, verbose_name='reserve overridden')),
                        ('shares', models.JSONField(default=dict, verbose_name='indicator shares')),
                        ('score', models.DecimalField(decimal_places=6, max_digits=12, verbose_name='score')),
                        ('ideal', models.DecimalField(decimal_places=6, max_digits=20, verbose_name='ideal')),
                        ('allocated', models.IntegerField(verbose_name='allocated')),
                        ('result', models.IntegerField(verbose_name='result')),
                        ('bound', models.CharField(blank=True, max_length=10, verbose_name='bound')),
                        ('controlled', models.IntegerField(verbose_name='controlled use')),
                        ('usable', models.IntegerField(verbose_name='usable')),
                        ('current', models.IntegerField(verbose_name='current holding')),
                        ('difference', models.IntegerField(verbose_name='difference')),
                        ('explanation', models.TextField(verbose_name='explanation')),
                        ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='institutions.region', verbose_name='region')),
                        ('scenario', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='results', to='allocation.allocationscenario', verbose_name='scenario')),
                    ],
                    options={
                        'verbose_name': 'scenario result',
                        'verbose_name_plural': 'scenario results',
                        'db_table': 'quotas_scenarioresult',
                        'ordering': ('scenario', 'region__code'),
                        'constraints': [models.UniqueConstraint(fields=('scenario', 'region'), name='one_result_per_scenario_area')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_types, restore_content_types),
    ]
