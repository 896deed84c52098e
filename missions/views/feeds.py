"""Calendar feeds: public per mission, private per delegate behind a secret URL."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.text import slugify
from django.views import View

from .. import selectors
from ..feeds import itinerary_calendar
from ._base import PublicMissionMixin


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


class PublicFeedView(PublicMissionMixin, View):
    """The public items of a published mission."""

    def get(self, request, slug):
        if not self.mission.is_public:
            raise Http404
        items = selectors.itinerary_items(self.mission, public_only=True)
        body = itinerary_calendar(self.mission, items, name=self.mission.title)
        return _ics_response(body, slugify(self.mission.title))


class PrivateFeedView(View):
    """Every item of the mission, for one delegate; the secret in the URL is the key."""

    def get(self, request, token):
        member = selectors.member_by_feed_token(token)
        if member is None:
            raise Http404
        mission = member.delegation.mission
        items = selectors.itinerary_items(mission, public_only=False)
        body = itinerary_calendar(mission, items, name=mission.title)
        response = _ics_response(body, slugify(mission.title))
        response["X-Robots-Tag"] = "noindex"
        return response
