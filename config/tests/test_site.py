"""The foundation: health check, API error shape, tokens, roles, configuration errors."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from knox.crypto import hash_token

from accounts.models import ApiToken
from accounts.roles import Role
from conftest import TEST_ONLY_VARIABLES

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_tells_anyone_only_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_reports_database_and_broker_to_staff(client, make_user):
    client.force_login(make_user(is_staff=True))
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["status"] == "ok"
    assert body["broker"] in ("ok", "eager")


@pytest.mark.django_db
def test_unknown_api_path_answers_json_404_in_error_shape(client):
    response = client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json() == {"message": "没有这个 API 路径。", "code": "not_found", "errors": {}, "codes": {}}


@pytest.mark.django_db
def test_api_requires_authentication(api_client):
    response = api_client.get("/api/v1/me/")

    assert response.status_code in (401, 403)
    assert set(response.json()) == {"message", "code", "errors", "codes"}


@pytest.mark.django_db
def test_token_authentication_and_issue_token(api_client, make_user, capsys):
    user = make_user(Role.FINANCE_SYSTEM, username="finance")
    call_command("issue_token", "finance")
    first = capsys.readouterr().out.strip()
    call_command("issue_token", "finance")
    second = capsys.readouterr().out.strip()

    assert first != second
    assert ApiToken.objects.get(user=user).digest == hash_token(second)  # only a hash is kept
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api_client.get("/api/v1/me/").status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["roles"] == ["finance_system"]


@pytest.mark.django_db
def test_issue_token_for_unknown_user_fails_clearly():
    with pytest.raises(CommandError, match="'ghost'"):
        call_command("issue_token", "ghost")


@pytest.mark.django_db
def test_every_role_group_exists_with_permissions():
    names = set(Group.objects.values_list("name", flat=True))

    assert set(Role.values) <= names
    city = Group.objects.get(name=Role.CITY_OFFICE)
    auditor = Group.objects.get(name=Role.AUDITOR)
    assert city.permissions.filter(codename="change_institution").exists()
    assert auditor.permissions.filter(codename="view_institution").exists()
    assert not auditor.permissions.filter(codename="change_institution").exists()


@pytest.mark.django_db
def test_schema_and_docs_are_served(admin_client):
    assert admin_client.get("/api/schema/").status_code == 200
    assert admin_client.get("/api/docs/").status_code == 200
    assert admin_client.get("/api/redoc/").status_code == 200


@pytest.mark.django_db
def test_admin_login_page_is_in_chinese(client):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert "用户名" in response.content.decode()


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    environment.update({"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "true", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "not a url"),
        ("DATABASE_URL", "mysql2://x@y/z"),
        ("DATABASE_URL", "postgres://user@host:notaport/db"),
        ("CELERY_BROKER_URL", "redis//localhost"),
        ("CELERY_BROKER_URL", "kafka://localhost:9092"),
    ],
)
def test_malformed_url_stops_startup_with_one_line(variable, value):
    result = _manage("check", **{variable: value})

    assert result.returncode == 2
    assert result.stderr.strip().startswith(f"configuration error: {variable}:")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_check_deploy_is_clean_with_production_variables():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="false", SECRET_KEY="x" * 30 + "-production-like-secret-key-0123456789",
        ALLOWED_HOSTS="bianzhi.example.gov.cn",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


@pytest.mark.broker
@pytest.mark.django_db
def test_task_round_trip_through_real_broker_and_worker(celery_worker_process):
    from core.tasks import echo

    result = echo.delay("编制").get(timeout=30)

    assert result["echo"] == "编制"
    assert result["worker"]


def test_embedded_default_needs_no_configuration_but_a_deployment_needs_its_secret_key():
    embedded = _manage("check", DEBUG="false")
    deployed = _manage("check", DEBUG="false", DATABASE_URL="postgres://quota@db.example.invalid/quota")

    assert embedded.returncode == 0, embedded.stderr
    assert deployed.returncode == 2
    assert deployed.stderr.strip() == (
        "configuration error: SECRET_KEY: must be set when DEBUG is off and DATABASE_URL is set"
    )


def test_every_periodic_job_names_a_registered_task(settings):
    from config.celery import app

    app.loader.import_default_modules()
    assert {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} <= set(app.tasks)
    from django.utils.module_loading import import_string

    from config import settings as deployed  # the tests run with no hook; a deployment with these

    assert deployed.LEDGER_POSTING_HOOKS  # the ledger's readers are named, and importable
    assert all(callable(import_string(path)) for path in deployed.LEDGER_POSTING_HOOKS)


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_connections_compile_no_query_just_in_time():
    """JIT compiling cost 3.6 s of the province's 4.7 s reconciliation query (config/settings.py)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
