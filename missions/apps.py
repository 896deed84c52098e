from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    name = "missions"
    verbose_name = _("Missions")

    def ready(self) -> None:
        from . import permissions  # noqa: F401 - registers the rules
        from .calls import permissions as call_permissions  # noqa: F401
        from .calls import tasks as call_tasks  # noqa: F401
        from .events import permissions as event_permissions  # noqa: F401
        from .events import tasks as event_tasks  # noqa: F401 - Celery finds the events tasks
