"""The clustermissions project package: settings, URLs and the Celery app; nothing else."""

from .celery import app as celery_app

__all__ = ["celery_app"]
