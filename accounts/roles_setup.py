"""Create the role groups and give each the admin permissions its work needs."""
from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from accounts.roles import Role

PLATFORM_APPS = ("institutions", "quotas", "allocation", "positions", "workflow", "reconciliation")
READ = {"view"}
WRITE = {"view", "add", "change"}

# (app label, set of actions) per role. The city office keeps every register; a district office keeps its own
# region's registry rows and reads the rest; HR keeps the position data; the others read.
ROLE_ACTIONS: dict[str, dict[str, set[str]]] = {
    Role.CITY_OFFICE: dict.fromkeys(PLATFORM_APPS, WRITE),
    Role.DISTRICT_OFFICE: {**dict.fromkeys(PLATFORM_APPS, READ), "institutions": WRITE},
    Role.HR_BUREAU: {**dict.fromkeys(PLATFORM_APPS, READ), "positions": WRITE},
    Role.ORGANISATION_DEPARTMENT: dict.fromkeys(PLATFORM_APPS, READ),
    Role.AUDITOR: dict.fromkeys(PLATFORM_APPS, READ),
    Role.FINANCE_SYSTEM: dict.fromkeys(PLATFORM_APPS, READ),
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
