from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from organizations.views import ProfileView
from programmes.urls import outcome_patterns, partnership_patterns, programme_patterns
from reports.home import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("accounts/", include("allauth.urls")),
    path("me/", ProfileView.as_view(), name="profile"),
    path("organisations/", include("organizations.urls")),
    path("missions/", include("missions.urls")),
    path("calls/", include("missions.calls.urls")),
    path("events/", include("missions.events.urls")),
    path("reports/", include("reports.urls")),
    path("programmes/", include(programme_patterns)),
    path("partnerships/", include(partnership_patterns)),
    path("outcomes/", include(outcome_patterns)),
    path("matchmaking/", include("matchmaking.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
