"""The user profile, moved here from core: its table stays ``core_userprofile``."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MOVED = ['userprofile']


def rename_content_types(apps, schema_editor):
    """The moved models keep their rows, permissions and grants: their content types change app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label='core', model__in=MOVED).update(app_label='accounts')


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label='accounts', model__in=MOVED).update(app_label='core')


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0002_userprofile_moved_to_accounts'),
        ('institutions', '0003_date_bounds'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay where they are: only Django's picture of which app holds them changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='UserProfile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('region', models.ForeignKey(blank=True, help_text='District/county office users see and edit only this region.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='user_profiles', to='institutions.region', verbose_name='region')),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='profile', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                    ],
                    options={
                        'verbose_name': 'user profile',
                        'verbose_name_plural': 'user profiles',
                        'db_table': 'core_userprofile',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_types, restore_content_types),
    ]
