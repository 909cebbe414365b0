from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and roles")

    def ready(self) -> None:
        from accounts import schema  # noqa: F401 -- registers the OpenAPI description of the token authentication
        from accounts.roles_setup import sync_role_groups

        # Groups and their admin permissions follow the code after every migrate.
        post_migrate.connect(sync_role_groups, dispatch_uid="accounts.sync_role_groups")
