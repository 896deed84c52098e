"""Calendar feeds: public per mission, private per delegate behind a secret URL."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.text import slugify

from common import pagecache
from common.views import PermissionView

from .. import selectors
from ..feeds import itinerary_calendar
from ..models import DelegationMember
from ._base import MissionPageView


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


class PublicFeedView(MissionPageView):
    """The public items of a published mission."""

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        if not self.mission.is_public:
            raise Http404
        # Everyone gets the same public items: built once per version of the mission.
        body = pagecache.public_copy(
            "ics",
            self.mission,
            selectors.mission_content_version(self.mission),
            lambda: itinerary_calendar(
                self.mission,
                selectors.itinerary_items(self.mission, public_only=True),
                name=self.mission.title,
            ),
        )
        return _ics_response(body, slugify(self.mission.title))


class PrivateFeedView(PermissionView):
    """Every item of the mission, for one delegate; the secret in the URL is the key (calendar
    programs do not log in)."""

    login_required = False

    def get_object(self) -> DelegationMember:
        member = selectors.member_by_feed_token(self.kwargs["token"])
        if member is None:
            raise Http404
        return member

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        mission = self.object.delegation.mission
        items = selectors.itinerary_items(mission, public_only=False)
        body = itinerary_calendar(mission, items, name=mission.title)
        response = _ics_response(body, slugify(mission.title))
        response["X-Robots-Tag"] = "noindex"
        return response
