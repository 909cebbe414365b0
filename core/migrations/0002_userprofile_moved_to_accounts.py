"""The user profile moved to the accounts app (its table stays)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
    ]

    operations = [
        # The tables stay where they are: only Django's picture of which app holds them changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='UserProfile',
                ),
            ],
            database_operations=[],
        ),
    ]
