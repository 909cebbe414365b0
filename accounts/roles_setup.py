"""Create the role groups and give each the admin permissions its work needs."""
from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from accounts.roles import Role

PLATFORM_APPS = ("institutions", "quotas", "positions")

# (app label, set of actions) per role; models listed by an app's ROLE_WRITES refine this.
ROLE_ACTIONS: dict[str, dict[str, set[str]]] = {
    Role.CITY_OFFICE: {app: {"view", "add", "change"} for app in PLATFORM_APPS},
    Role.DISTRICT_OFFICE: {
        "institutions": {"view", "add", "change"},
        "quotas": {"view"},
        "positions": {"view"},
    },
    Role.HR_BUREAU: {"institutions": {"view"}, "quotas": {"view"}, "positions": {"view", "add", "change"}},
    Role.ORGANISATION_DEPARTMENT: {app: {"view"} for app in PLATFORM_APPS},
    Role.AUDITOR: {app: {"view"} for app in PLATFORM_APPS},
    Role.FINANCE_SYSTEM: {app: {"view"} for app in PLATFORM_APPS},
}


def sync_role_groups(sender=None, **kwargs) -> None:
    """Make sure every role group exists and holds exactly its permissions."""
    using = kwargs.get("using", "default")
    for role in Role:
        group, _ = Group.objects.using(using).get_or_create(name=role.value)
        wanted = []
        for app_label, actions in ROLE_ACTIONS[role].items():
            for permission in Permission.objects.using(using).filter(content_type__app_label=app_label):
                action = permission.codename.split("_", 1)[0]
                if action in actions:
                    wanted.append(permission)
        group.permissions.set(wanted)
