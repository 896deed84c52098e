"""Addresses of the portal's pages for readers outside it: emails are written by tasks,
with no request to take the host from, so every link starts with ``SITE_URL``."""

from django.conf import settings
from django.urls import reverse


def absolute_url(viewname: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(viewname, kwargs=kwargs or None)
