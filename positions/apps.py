from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PositionsConfig(AppConfig):
    name = "positions"
    verbose_name = _("Positions")

    def ready(self) -> None:
        from positions import tasks  # noqa: F401  (registers the tasks the services enqueue by name)
