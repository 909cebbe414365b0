from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("City and district workflow")

    def ready(self) -> None:
        from workflow import tasks  # noqa: F401  (registers the tasks the services enqueue by name)
