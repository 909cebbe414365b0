from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Users and roles")

    def ready(self) -> None:
        from core.roles_setup import sync_role_groups

        # Groups and their admin permissions follow the code after every migrate.
        post_migrate.connect(sync_role_groups, dispatch_uid="core.sync_role_groups")
