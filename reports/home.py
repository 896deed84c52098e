"""The home page: what each reader has to do and what is coming.

This view composes every app from the top of the house (like ``seed_demo``): reports sits
above missions, calls, events and organisations, so it may ask each of them for its part of
the page. Each app contributes ``home_…`` selectors of a fixed number of queries; this view
only decides which sections a reader sees, from the roles they hold. A person with several
roles sees each of their sections; a visitor sees what is open to everyone.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from common.views import PermissionView
from missions import selectors as mission_selectors
from missions.calls import selectors as call_selectors
from missions.events import selectors as event_selectors
from organizations import selectors as organization_selectors
from organizations.models import Role


def home_sections(user, *, now=None) -> dict[str, Any]:
    """The sections of ``user``'s home page, each a list (empty when there is nothing)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sections: dict[str, Any] = {}
    roles = user.role_names if user.is_authenticated else frozenset()
    if Role.US_APPLICANT in roles:
        sections["applications"] = call_selectors.home_applications(user)
        sections["open_calls"] = call_selectors.home_open_calls(user, now=now)
    if Role.REVIEWER in roles:
        sections["reviews"] = call_selectors.home_reviews_to_do(user)
    if Role.ORGANISER in roles or user.is_superuser:
        sections["planning"] = mission_selectors.home_missions_planning(user, today=today)
        sections["calls_in_review"] = call_selectors.home_calls_in_review(user, now=now)
        sections["awaiting_approval"] = event_selectors.home_registrations_awaiting(user, now=now)
    if Role.EU_CLUSTER_MANAGER in roles:
        sections["registrations"] = event_selectors.home_registrations(user, now=now)
        sections["open_events"] = event_selectors.home_open_events(user, now=now)
        sections["organizations"] = organization_selectors.home_organizations(user)
    if Role.HOST_CONTACT in roles:
        sections["visits"] = mission_selectors.home_visits_to_confirm(user, today=today)
    if Role.STAFF in roles:
        sections["staff_missions"] = mission_selectors.home_recent_missions(user)
    if not sections:
        # Visitors, and people without a role yet: what is open to everyone.
        sections["upcoming_missions"] = mission_selectors.home_upcoming_missions(user, today=today)
        sections["upcoming_events"] = event_selectors.home_upcoming_events(user, now=now)
        sections["open_calls"] = call_selectors.home_open_calls(user, now=now)
    return sections


class HomeView(PermissionView):
    """``/``: each role's section of things to do; the portal's purpose for visitors."""

    login_required = False

    def get(self, request: HttpRequest) -> HttpResponse:
        sections = home_sections(request.user)
        visitor = "upcoming_missions" in sections
        return render(
            request, "home.html", {**sections, "has_tasks": bool(sections) and not visitor}
        )
