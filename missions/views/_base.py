"""What the missions views share: finding a mission the way the reader may see it."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404

from common.views import error_messages, viewer_zone  # noqa: F401 (re-exported)

from .. import selectors


class PublicMissionMixin:
    """Loads ``self.mission`` among those the reader may see; anything else is a 404."""

    def dispatch(self, request, *args, **kwargs):
        self.mission = get_object_or_404(selectors.mission_page(request.user), slug=kwargs["slug"])
        if not request.user.has_perm("missions.see_mission", self.mission):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class OrganiserMissionMixin:
    """For the mission's own organisers: another organiser's mission is a 404."""

    permission_required = "missions.plan_mission"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.mission = get_object_or_404(
            selectors.missions_editable_by(request.user), slug=kwargs["slug"]
        )
        if not request.user.has_perm(self.permission_required, self.mission):
            raise Http404
        return super().dispatch(request, *args, **kwargs)
