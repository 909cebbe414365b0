"""Zero-based allocation moved to the allocation app (its tables stay)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('quotas', '0005_scenario_approved_inputs'),
    ]

    operations = [
        # The tables stay where they are: only Django's picture of which app holds them changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='historicalscenarioarea',
                    name='scenario',
                ),
                migrations.RemoveField(
                    model_name='historicalallocationscenario',
                    name='copied_from',
                ),
                migrations.RemoveField(
                    model_name='scenarioresult',
                    name='scenario',
                ),
                migrations.RemoveField(
                    model_name='scenarioarea',
                    name='scenario',
                ),
                migrations.RemoveField(
                    model_name='historicalallocationscenario',
                    name='applied_document',
                ),
                migrations.RemoveField(
                    model_name='historicalallocationscenario',
                    name='approved_by',
                ),
                migrations.RemoveField(
                    model_name='historicalallocationscenario',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='historicalallocationscenario',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalallocationscenario',
                    name='quota_type',
                ),
                migrations.RemoveField(
                    model_name='historicalallocationscenario',
                    name='scope_region',
                ),
                migrations.RemoveField(
                    model_name='historicalregionindicator',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalregionindicator',
                    name='region',
                ),
                migrations.RemoveField(
                    model_name='historicalscenarioarea',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalscenarioarea',
                    name='region',
                ),
                migrations.RemoveField(
                    model_name='regionindicator',
                    name='region',
                ),
                migrations.RemoveField(
                    model_name='scenarioarea',
                    name='region',
                ),
                migrations.RemoveField(
                    model_name='scenarioresult',
                    name='region',
                ),
                migrations.DeleteModel(
                    name='AllocationScenario',
                ),
                migrations.DeleteModel(
                    name='HistoricalAllocationScenario',
                ),
                migrations.DeleteModel(
                    name='HistoricalRegionIndicator',
                ),
                migrations.DeleteModel(
                    name='HistoricalScenarioArea',
                ),
                migrations.DeleteModel(
                    name='RegionIndicator',
                ),
                migrations.DeleteModel(
                    name='ScenarioArea',
                ),
                migrations.DeleteModel(
                    name='ScenarioResult',
                ),
            ],
            database_operations=[],
        ),
    ]
