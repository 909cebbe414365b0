"""Brute-force protection of the login (django-axes): 5 wrong passwords lock a user out at an address for 15 min."""
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.core.management import call_command
from django.db.models import F
from django.test import Client

from accounts.roles import Role

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"
PASSWORD = "pw-12345"  # make_user's
HERE, ELSEWHERE = "10.0.0.7", "10.0.0.8"


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
