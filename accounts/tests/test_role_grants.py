"""Every app of the platform is in the role groups' grants: a new app's models are viewable by every role and
writable as the permission table says (the reform app was once missing: the city office got 403 on its plans)."""
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from accounts.roles import Role
from accounts.roles_setup import PLATFORM_APPS

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
# No models of their own for the roles, or the superuser's (outbox: the change log, which the roles read through
# the feed API).
OURS = ("config", "core", "accounts", "demo", "outbox")


def codes(role) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=role).permissions.all()}


def test_every_app_with_models_of_the_platform_is_granted():
    project_apps = {config.label for config in apps.get_app_configs()
                    if config.path.startswith(str(ROOT)) and ".venv" not in config.path
                    and config.label not in OURS and list(config.get_models())}

    assert project_apps <= set(PLATFORM_APPS)


def test_the_reform_plans_are_the_city_offices_and_the_district_offices_proposals():
    assert {"reforms.view_reformplan", "reforms.add_reformplan", "reforms.change_reformplan"} <= codes(Role.CITY_OFFICE)
    assert {"reforms.add_reformplan", "reforms.change_reformplan"} <= codes(Role.DISTRICT_OFFICE)
    assert "reforms.view_reformplan" in codes(Role.AUDITOR)
    assert "reforms.change_reformplan" not in codes(Role.AUDITOR)
