from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllocationConfig(AppConfig):
    name = "allocation"
    verbose_name = _("Zero-based allocation")

    def ready(self) -> None:
        from allocation import tasks  # noqa: F401  (registers the tasks the services enqueue by name)
