"""Create the role groups and give each the admin permissions its work needs.

The grants derive from the permission table (``accounts.permission_table``): every role views every model of the
platform's apps; a role gets ``add`` / ``change`` on a model when the table lets it ``create`` / ``update`` the API
resource of that model. The city office keeps ``add`` / ``change`` on every model (the admin-only reference data
too: workflow policy, loan cases, position rules, quota types …).
"""
from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import Group, Permission

from accounts.permission_table import admin_grants
from accounts.roles import Role

PLATFORM_APPS = ("institutions", "quotas", "allocation", "positions", "workflow", "reconciliation", "reforms",
                 "standards", "mandates", "powers", "tracking", "finance", "integrations")
READ = {"view"}
WRITE = {"view", "add", "change"}
ALL_MODELS = "*"  # a key of ROLE_ACTIONS[role][app]: every model of the app


def _role_actions() -> dict[str, dict[str, dict[str, set[str]]]]:
    """``{role: {app_label: {model or "*": actions}}}``."""
    grants = admin_grants()
    actions: dict[str, dict[str, dict[str, set[str]]]] = {}
    for role in Role:
        if role == Role.CITY_OFFICE:
            actions[role] = {app: {ALL_MODELS: set(WRITE)} for app in PLATFORM_APPS}
            continue
        per_app: dict[str, dict[str, set[str]]] = {app: {ALL_MODELS: set(READ)} for app in PLATFORM_APPS}
        for label, extra in grants[role].items():
            app_label, model = label.split(".")
            per_app.setdefault(app_label, {ALL_MODELS: set(READ)})[model] = READ | extra
        actions[role] = per_app
    return actions


# Each role's admin permissions: app label -> model name (or "*" for the app's other models) -> actions.
ROLE_ACTIONS: dict[str, dict[str, dict[str, set[str]]]] = _role_actions()


def wanted_permissions(role: str, using: str = "default") -> list[Permission]:
    """The permissions the group of ``role`` holds."""
    wanted = []
    for app_label, models in ROLE_ACTIONS[role].items():
        for permission in Permission.objects.using(using).filter(content_type__app_label=app_label).select_related(
                "content_type"):
            action = permission.codename.split("_", 1)[0]
            if action in models.get(permission.content_type.model, models[ALL_MODELS]):
                wanted.append(permission)
    return wanted


def _last_app_with_models():
    return [config for config in apps.get_app_configs() if config.models_module is not None][-1]


def sync_role_groups(sender=None, **kwargs) -> None:
    """Make sure every role group exists and holds exactly its permissions.

    As a ``post_migrate`` receiver it acts once per migrate or flush: on the signal of the last app with models,
    when every app's permissions exist (the signal is sent once for each app, in ``INSTALLED_APPS`` order)."""
    if sender is not None and sender is not _last_app_with_models():
        return
    using = kwargs.get("using", "default")
    for role in Role:
        group, _ = Group.objects.using(using).get_or_create(name=role.value)
        group.permissions.set(wanted_permissions(role, using=using))
