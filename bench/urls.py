"""The project's URLs plus ``/__bare__/`` (used only by ``bench/settings_bench.py``)."""

from django.http import HttpResponse
from django.urls import path

from clustermissions.urls import urlpatterns as project_urlpatterns


def bare(request):
    """The ceiling: the same process and middleware, no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__bare__/", bare), *project_urlpatterns]
