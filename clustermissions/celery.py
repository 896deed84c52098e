"""The Celery application. With REDIS_URL it talks to a real worker; without, tasks run eagerly."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clustermissions.settings.base")

app = Celery("clustermissions")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
