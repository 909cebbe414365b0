"""API tokens: shown once, stored hashed, expiring, revocable by command and admin, last use recorded."""
import importlib
import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from knox.crypto import hash_token

from accounts.models import ApiToken, UserProfile
from accounts.roles import Role

pytestmark = pytest.mark.django_db
ME = "/api/v1/me/"


def issue(username: str, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("issue_token", username, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def key_of(username: str, *args: str) -> str:
    return issue(username, *args)[0].strip()


def get_me(api_client, key: str):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api_client.get(ME)


@pytest.fixture
def finance(make_user):
    return make_user(Role.FINANCE_SYSTEM, username="finance")


def test_issue_token_prints_only_the_key_and_the_database_keeps_a_hash(finance, caplog):
    with caplog.at_level(logging.INFO, logger="accounts.tokens"):
        out, err = issue("finance", "--client", "财政一体化系统")
    key = out.strip()

    assert out == key + "\n" and len(key) == 64 and " " not in key  # nothing else on stdout
    assert "finance" in err and key not in err  # the information goes to stderr, without the key
    token = ApiToken.objects.get(user=finance)
    assert token.digest == hash_token(key) and token.token_key == key[:15]
    stored = list(ApiToken.objects.values_list())
    assert not any(key in str(value) for row in stored for value in row)  # no column holds the key
    assert token.client == "财政一体化系统"
    logged = "\n".join(record.getMessage() for record in caplog.records if record.name == "accounts.tokens")
    assert "issued" in logged and "finance" in logged and "财政一体化系统" in logged
    assert token.expiry.isoformat(timespec="minutes") in logged
    assert key not in logged


def test_the_key_authenticates_with_the_header_clients_already_send(api_client, finance):
    key = key_of("finance")

    response = get_me(api_client, key)

    assert response.status_code == 200
    assert response.json()["roles"] == ["finance_system"]
    assert get_me(api_client, key[:-1] + ("0" if key[-1] != "0" else "1")).status_code == 401


def test_a_token_expires_after_api_token_days_by_default(finance):
    before = timezone.now()
    key_of("finance")

    expiry = ApiToken.objects.get(user=finance).expiry
    assert settings.REST_KNOX["TOKEN_TTL"] == timedelta(days=settings.API_TOKEN_DAYS)
    assert before + timedelta(days=settings.API_TOKEN_DAYS) <= expiry <= timezone.now() + timedelta(
        days=settings.API_TOKEN_DAYS)


def test_the_client_profile_days_apply_and_days_on_the_command_line_win(finance):
    UserProfile.objects.filter(user=finance).update(token_days=30)
    now = timezone.now()

    key_of("finance")
    assert ApiToken.objects.get(user=finance).expiry - now == pytest.approx(timedelta(days=30), abs=timedelta(
        minutes=1))

    key_of("finance", "--days", "7")
    assert ApiToken.objects.get(user=finance).expiry - now == pytest.approx(timedelta(days=7), abs=timedelta(
        minutes=1))


@pytest.mark.parametrize("days", ["0", "-3", "seven", "100000"])
def test_days_out_of_range_are_refused(finance, days):
    with pytest.raises(CommandError):
        issue("finance", "--days", days)
    assert not ApiToken.objects.exists()


def test_an_expired_token_is_refused_and_removed(api_client, finance):
    key = key_of("finance")
    ApiToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))

    response = get_me(api_client, key)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert {"message", "errors"} <= set(response.json())
    assert not ApiToken.objects.exists()


def test_the_daily_job_deletes_expired_tokens_and_keeps_live_ones(finance, make_user, caplog):
    from accounts.tasks import purge_expired_tokens

    live = key_of("finance", "--days", "3")
    auditor = make_user(Role.AUDITOR, username="auditor")
    key_of("auditor")
    ApiToken.objects.filter(user=auditor).update(expiry=timezone.now() - timedelta(minutes=1))
    assert "accounts-purge-expired-tokens" in settings.CELERY_BEAT_SCHEDULE

    with caplog.at_level(logging.INFO, logger="accounts.tokens"):
        assert purge_expired_tokens() == 1

    assert list(ApiToken.objects.values_list("user__username", flat=True)) == ["finance"]
    assert ApiToken.objects.get().token_key == live[:len(ApiToken.objects.get().token_key)]
    assert "API token expired: user=auditor" in caplog.text and "by=beat" in caplog.text
    assert purge_expired_tokens() == 0


def test_a_header_that_is_not_utf8_is_refused_not_a_server_error(api_client, finance):
    key_of("finance")
    api_client.credentials(HTTP_AUTHORIZATION="Token \xff\xfe")

    assert api_client.get(ME).status_code == 401


def test_last_used_is_recorded_at_most_once_a_minute(api_client, finance):
    key = key_of("finance")
    assert ApiToken.objects.get().last_used is None

    assert get_me(api_client, key).status_code == 200
    first = ApiToken.objects.get().last_used
    assert first is not None and timezone.now() - first < timedelta(seconds=30)

    recent = timezone.now() - timedelta(seconds=30)
    ApiToken.objects.update(last_used=recent)
    get_me(api_client, key)
    assert ApiToken.objects.get().last_used == recent  # used again within the minute: not written

    old = timezone.now() - timedelta(minutes=2)
    ApiToken.objects.update(last_used=old)
    get_me(api_client, key)
    assert ApiToken.objects.get().last_used > old + timedelta(minutes=1)


def test_issue_token_revokes_the_other_tokens_unless_told_to_keep_them(api_client, finance):
    first = key_of("finance", "--client", "a")
    second = key_of("finance", "--client", "b", "--keep-others")

    assert get_me(api_client, first).status_code == 200
    assert get_me(api_client, second).status_code == 200

    _, err = issue("finance")
    assert "2" in err.splitlines()[1]  # says how many it revoked
    assert ApiToken.objects.filter(user=finance).count() == 1
    assert get_me(api_client, first).status_code == 401
    assert get_me(api_client, second).status_code == 401


def test_issue_token_refuses_unknown_and_inactive_users(make_user):
    make_user(Role.FINANCE_SYSTEM, username="gone", is_active=False)

    with pytest.raises(CommandError, match="'ghost'"):
        issue("ghost")
    with pytest.raises(CommandError, match="'gone'"):
        issue("gone")
    assert not ApiToken.objects.exists()


def test_revoke_tokens_by_key_prefix_or_all(api_client, finance, caplog):
    first = key_of("finance", "--client", "a")
    second = key_of("finance", "--client", "b", "--keep-others")
    third = key_of("finance", "--client", "c", "--keep-others")

    with caplog.at_level(logging.INFO, logger="accounts.tokens"):
        call_command("revoke_tokens", "finance", "--key", first[:8], stderr=StringIO())
    assert get_me(api_client, first).status_code == 401
    assert get_me(api_client, second).status_code == 200
    logged = "\n".join(record.getMessage() for record in caplog.records if record.name == "accounts.tokens")
    assert "revoked" in logged and "finance" in logged and "'a'" in logged and first not in logged

    call_command("revoke_tokens", "finance", "--key", third, stderr=StringIO())  # the whole key also names it
    assert get_me(api_client, third).status_code == 401
    assert get_me(api_client, second).status_code == 200

    with pytest.raises(CommandError):
        call_command("revoke_tokens", "finance", "--key", "zzzzzzzz", stderr=StringIO())
    with pytest.raises(CommandError):
        call_command("revoke_tokens", "finance", "--key", "ab", stderr=StringIO())  # too short to be meant
    err = StringIO()
    call_command("revoke_tokens", "finance", stderr=err)
    assert not ApiToken.objects.exists()
    assert get_me(api_client, second).status_code == 401


def test_the_admin_lists_tokens_to_superusers_only_and_revokes_them(admin_client, client, make_user, finance):
    key = key_of("finance", "--client", "财政")
    token = ApiToken.objects.get()
    changelist = "/admin/accounts/apitoken/"

    page = admin_client.get(changelist)
    assert page.status_code == 200
    html = page.content.decode()
    assert token.token_key in html and "财政" in html and key not in html  # (the digest, a hash, is the id)
    assert "revoke_tokens" in html and "delete_selected" not in html
    assert admin_client.get(changelist + "add/").status_code == 403
    detail = admin_client.get(f"{changelist}{token.pk}/change/")
    assert detail.status_code == 200 and key not in detail.content.decode()
    assert 'name="client"' not in detail.content.decode()  # read-only

    client.force_login(make_user(Role.CITY_OFFICE, is_staff=True))
    assert client.get(changelist).status_code == 403
    assert client.get("/admin/").status_code == 200 and "apitoken" not in client.get("/admin/").content.decode()

    response = admin_client.post(changelist, {"action": "revoke_tokens", "_selected_action": [token.pk]})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_the_user_profile_holds_the_client_token_lifetime(admin_client, finance):
    page = admin_client.get(f"/admin/auth/user/{finance.pk}/change/")

    assert page.status_code == 200
    assert "token_days" in page.content.decode()


def test_old_clear_text_tokens_are_converted_and_deleted(api_client, finance):
    convert = importlib.import_module("accounts.migrations.0003_convert_authtoken_tokens").convert
    old_key = "0123456789abcdef0123456789abcdef01234567"  # an authtoken key: 40 hex characters
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp NOT NULL, "
                       "user_id integer NOT NULL UNIQUE)")
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s, %s)",
                       [old_key, timezone.now() - timedelta(days=400), finance.pk])

    from django.apps import apps

    convert(apps, type("SchemaEditor", (), {"connection": connection})())

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
    token = ApiToken.objects.get(user=finance)
    assert token.digest == hash_token(old_key) and token.client == "authtoken"
    assert timezone.now() - token.created > timedelta(days=399)  # as old as it was
    assert token.expiry - timezone.now() == pytest.approx(timedelta(days=90), abs=timedelta(minutes=1))
    assert get_me(api_client, old_key).status_code == 200  # the client goes on working


def test_conversion_without_the_old_table_does_nothing(finance):
    convert = importlib.import_module("accounts.migrations.0003_convert_authtoken_tokens").convert
    from django.apps import apps

    convert(apps, type("SchemaEditor", (), {"connection": connection})())

    assert not ApiToken.objects.exists()


def test_the_schema_describes_the_token_header(admin_client):
    schema = admin_client.get("/api/schema/?format=json").json()

    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert scheme["type"] == "apiKey" and scheme["name"] == "Authorization"
    assert "Token" in scheme["description"]
