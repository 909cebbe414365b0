"""Brute-force protection of the login (django-axes): 5 wrong passwords lock a user out at an address for 15 min."""
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.core.management import call_command
from django.db.models import F
from django.test import Client, override_settings

from accounts.roles import Role
from conftest import TEST_ONLY_VARIABLES

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"
PASSWORD = "pw-12345"  # make_user's
HERE, ELSEWHERE = "10.0.0.7", "10.0.0.8"
ROOT = Path(__file__).resolve().parents[2]
BEHIND_ONE_PROXY = {"AXES_IPWARE_PROXY_COUNT": 0,  # what AXES_PROXY_COUNT=1 gives
                    "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")}


def log_in(client, username: str, password: str, address: str = HERE, **headers):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address,
                       **headers)


def fail(client, username: str, times: int, address: str = HERE, **headers) -> list[int]:
    return [log_in(client, username, "wrong", address, **headers).status_code for _ in range(times)]


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def clerk(make_user):
    return make_user(Role.CITY_OFFICE, username="clerk", is_staff=True)


@pytest.fixture
def other(make_user):
    return make_user(Role.CITY_OFFICE, username="other", is_staff=True)


def test_five_wrong_passwords_lock_the_account_out_with_a_chinese_page(client, clerk):
    assert fail(client, "clerk", 4) == [200] * 4  # the login form again
    assert fail(client, "clerk", 1) == [429]  # the fifth

    response = log_in(client, "clerk", PASSWORD)

    assert response.status_code == 429
    assert not logged_in(client)
    page = response.content.decode()
    assert "账户已锁定" in page
    assert "5 次" in page and "15 分钟" in page
    assert "编制管理平台" in page  # the site's own frame


def test_another_user_and_the_same_user_elsewhere_are_not_locked(client, clerk, other):
    fail(client, "clerk", 5)

    assert log_in(Client(), "other", PASSWORD).status_code == 302  # same address, another user
    assert log_in(Client(), "clerk", PASSWORD, address=ELSEWHERE).status_code == 302  # lockout per user and address
    assert log_in(Client(), "clerk", PASSWORD).status_code == 429


def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(client, clerk):
    statuses = [log_in(client, "clerk", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
                for n in range(5)]

    assert statuses == [200] * 4 + [429]
    assert log_in(Client(), "clerk", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_after_the_cool_off_the_login_works_again(client, clerk):
    fail(client, "clerk", 5)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=14))
    assert log_in(client, "clerk", PASSWORD).status_code == 429  # 14 minutes later: still locked, and the wait
    # starts again with this attempt

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    response = log_in(client, "clerk", PASSWORD)

    assert response.status_code == 302
    assert logged_in(client)


def test_an_administrator_can_lift_a_lockout(clerk):
    fail(Client(), "clerk", 5)

    assert reset(username="clerk") == 1
    assert log_in(Client(), "clerk", PASSWORD).status_code == 302

    fail(Client(), "clerk", 5)
    call_command("axes_reset_username", "clerk")
    assert log_in(Client(), "clerk", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_count(clerk):
    assert fail(Client(), "clerk", 4) == [200] * 4
    assert log_in(Client(), "clerk", PASSWORD).status_code == 302

    assert fail(Client(), "clerk", 4) == [200] * 4  # counted from zero again
    assert log_in(Client(), "clerk", PASSWORD).status_code == 302


def test_the_lockout_page_follows_the_language(client, clerk):
    fail(client, "clerk", 5)

    response = log_in(client, "clerk", PASSWORD, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 429
    assert "Account locked" in response.content.decode()


@override_settings(**BEHIND_ONE_PROXY)
def test_behind_a_proxy_the_lockout_is_per_client_address(clerk):
    proxy = "10.0.0.1"
    assert fail(Client(), "clerk", 5, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")[-1] == 429

    assert log_in(Client(), "clerk", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 302
    assert log_in(Client(), "clerk", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429


@override_settings(**BEHIND_ONE_PROXY)
def test_behind_a_proxy_forged_addresses_all_count_as_one(clerk):
    # The proxy appends the real address to whatever the client sent: a longer chain is not believed, and every
    # such attempt counts against the proxy's address.
    statuses = [log_in(Client(), "clerk", "wrong", "10.0.0.1",
                       HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.5").status_code for n in range(6)]

    assert statuses == [200] * 4 + [429] * 2


def _settings_with(**env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    environment.update({"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "true", **env})
    code = ("from django.conf import settings; "
            "print(settings.AXES_IPWARE_PROXY_COUNT, list(settings.AXES_IPWARE_META_PRECEDENCE_ORDER))")
    return subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", code], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("count", "expected"), [
    ("0", "0 ['REMOTE_ADDR']"),
    ("2", "1 ['HTTP_X_FORWARDED_FOR', 'REMOTE_ADDR']"),
])
def test_axes_proxy_count_sets_where_the_client_address_comes_from(count, expected):
    result = _settings_with(AXES_PROXY_COUNT=count)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


@pytest.mark.parametrize(("variable", "value"), [
    ("AXES_PROXY_COUNT", "-1"), ("AXES_PROXY_COUNT", "two"), ("API_TOKEN_DAYS", "0"),
])
def test_a_bad_count_stops_startup_with_one_line(variable, value):
    result = _settings_with(**{variable: value})

    assert result.returncode == 2
    assert result.stderr.strip().startswith(f"configuration error: {variable}:")
    assert len(result.stderr.strip().splitlines()) == 1
