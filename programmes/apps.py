from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Programmes, partnerships and outcomes")

    def ready(self) -> None:
        from . import (
            permissions,  # noqa: F401 - registers the rules
            tasks,  # noqa: F401 - Celery finds the programmes tasks
        )
