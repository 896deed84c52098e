from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from . import (
            permissions,  # noqa: F401 - registers the rules
            tasks,  # noqa: F401 - Celery finds the reports tasks
        )
