"""The clear-text tokens of ``rest_framework.authtoken`` become hashed ApiToken rows, then are deleted.

That app has left INSTALLED_APPS, so its table is read with raw SQL, and only if it exists. A converted token keeps
its key (clients go on working) and its creation date, and expires 90 days after this migration; the admin lists
it with the client "authtoken". The table itself stays, empty. Backwards, nothing is restored: the keys are gone.
"""
from datetime import UTC, timedelta

from django.db import migrations
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from knox.crypto import hash_token
from knox.settings import CONSTANTS

TABLE = "authtoken_token"
CONVERTED_LIFETIME = timedelta(days=90)


def aware(value):
    """A datetime read by raw SQL: SQLite gives a string in UTC without a zone, PostgreSQL an aware datetime."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def convert(apps, schema_editor):
    connection = schema_editor.connection
    if TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    quoted = connection.ops.quote_name(TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name('key')}, user_id, created FROM {quoted}")
        rows = cursor.fetchall()
    expiry = timezone.now() + CONVERTED_LIFETIME
    for key, user_id, created in rows:
        digest = hash_token(key)
        ApiToken.objects.using(connection.alias).create(
            digest=digest, token_key=key[:CONSTANTS.TOKEN_KEY_LENGTH], user_id=user_id, expiry=expiry,
            client="authtoken",
        )
        if aware(created) is not None:  # auto_now_add set "now" above; the token is as old as it was
            ApiToken.objects.using(connection.alias).filter(digest=digest).update(created=aware(created))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {quoted}")


class Migration(migrations.Migration):

    dependencies = [("accounts", "0002_api_tokens")]

    operations = [migrations.RunPython(convert, migrations.RunPython.noop, elidable=False)]
