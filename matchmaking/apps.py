from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "matchmaking"
    verbose_name = _("Matchmaking")

    def ready(self) -> None:
        from . import (
            permissions,  # noqa: F401 - registers the rules
            tasks,  # noqa: F401 - Celery finds the matchmaking tasks
        )
