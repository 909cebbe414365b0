"""API tokens stored hashed, with an expiry (django-rest-knox), and the per-client token lifetime."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='userprofile',
            name='token_days',
            field=models.PositiveIntegerField(blank=True, help_text='For an integration client: how many days its new API tokens stay valid. Empty: the site default (API_TOKEN_DAYS).', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(3650)], verbose_name='API token lifetime (days)'),
        ),
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('digest', models.CharField(max_length=128, primary_key=True, serialize=False, verbose_name='digest')),
                ('token_key', models.CharField(db_index=True, max_length=25, verbose_name='key prefix')),
                ('created', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('expiry', models.DateTimeField(blank=True, null=True, verbose_name='expires')),
                ('client', models.CharField(blank=True, help_text='The integration client that uses this token.', max_length=100, verbose_name='client')),
                ('last_used', models.DateTimeField(blank=True, null=True, verbose_name='last used')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='auth_token_set', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'API token',
                'verbose_name_plural': 'API tokens',
                'ordering': ['-created'],
            },
        ),
    ]
