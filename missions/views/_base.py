"""The two ways a missions page finds its mission, declared on ``common.views.PermissionView``:
as a reader who may see it, or as one of its organisers."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse

from common.views import PermissionView

from .. import selectors
from ..models import Mission


def plan_url(mission: Mission) -> str:
    return reverse("missions:plan", kwargs={"slug": mission.slug})


class MissionPageView(PermissionView):
    """A page of one mission the reader may see: published, or one they organise."""

    login_required = False
    permission_required = "missions.see_mission"

    def get_object(self) -> Mission:
        return get_object_or_404(
            selectors.mission_page(self.request.user), slug=self.kwargs["slug"]
        )

    @property
    def mission(self) -> Mission:
        return self.object


class PlanningScope:
    """For the mission's own organisers: another organiser's mission is a 404. Put before
    ``FormServiceView`` or ``ActionView``; success goes back to the planning page."""

    permission_required = "missions.plan_mission"

    def get_object(self) -> Mission:
        return get_object_or_404(
            selectors.missions_editable_by(self.request.user), slug=self.kwargs["slug"]
        )

    @property
    def mission(self) -> Mission:
        return self.object

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(mission=self.object, **context)

    def get_success_url(self, result: Any) -> str:
        return plan_url(self.object)
