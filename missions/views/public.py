"""Public mission pages, the itinerary, the map, the printable list and the change log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import pagecache
from common.pagination import paginate
from common.views import ConfirmedActionView, PermissionView, viewer_zone
from organizations.models import Sector

from .. import selectors, services
from ..mapsvg import map_for_items, points_and_legs
from ..models import DelegationMember, Mission
from ._base import MissionPageView


class MissionListView(PermissionView):
    """The published missions, and an organiser's own not yet published. The published
    missions' cards are the same for every reader: they are rendered once per day (the
    "Past" badge), language and version of the tables they come from, and kept in the cache
    (``common/pagecache.py``)."""

    login_required = False

    def get(self, request: HttpRequest) -> HttpResponse:
        cards, count = pagecache.public_list_copy(
            "missions:list",
            pagecache.table_version(Mission, Mission.sectors.through, Sector),
            self.cards,
            vary=timezone.localdate().isoformat(),
        )
        return render(
            request,
            "missions/mission_list.html",
            {
                # Our own template's output (everything in it was escaped when rendered).
                "cards": mark_safe(cards),  # noqa: S308
                "public_count": count,
                "unpublished": selectors.unpublished_missions_of(request.user),
                "can_create": request.user.has_perm("missions.create_mission"),
            },
        )

    @staticmethod
    def cards() -> tuple[str, int]:
        """The published missions' cards as HTML, and how many: rendered without a request,
        so nothing of a reader's own reaches them."""
        missions = selectors.public_mission_list()
        return render_to_string("missions/_mission_cards.html", {"missions": missions}), len(
            missions
        )


def _public_reader(request: HttpRequest, mission: Mission) -> bool:
    """Whether the reader sees exactly what everyone sees of ``mission``: it is published and
    they are neither its delegate nor one of its organisers. Only such pages are cached."""
    return (
        mission.is_public
        and selectors.delegate_of(mission, request.user) is None
        and not request.user.has_perm("missions.plan_mission", mission)
    )


def _mission_context(request: HttpRequest, mission: Mission, *, public_only: bool) -> dict:
    """What the mission page and the itinerary both show, in a fixed number of queries."""
    member = selectors.delegate_of(mission, request.user)
    can_edit = request.user.has_perm("missions.plan_mission", mission)
    # Delegates and organisers see every item; the public sees the public ones.
    public_only = public_only and member is None and not can_edit
    days = selectors.itinerary_days(mission, public_only=public_only)
    items = sorted(
        (item for day in days for item in day.items.all()), key=lambda i: (i.starts_at, i.pk)
    )
    zone = viewer_zone(request, member)
    home_zones = {zone} if zone else set()
    if can_edit:
        home_zones |= {m.home_time_zone for m in selectors.delegation_members(mission)}
    return {
        "mission": mission,
        "member": member,
        "viewer_zone": zone,
        "days": days,
        "items": items,
        "can_edit": can_edit,
        "can_see_changes": member is not None or can_edit,
        "dst_shifts": selectors.mission_dst_warnings(mission, home_zones=home_zones, items=items),
    }


class PublicContentView(MissionPageView):
    """A mission page whose content, for a reader who sees what everyone sees, is rendered
    once per version of the mission, language and reader's zone (``common/pagecache.py``);
    the page around it (header, messages) is always the reader's own. Delegates and
    organisers, who see private items, get their content rendered afresh."""

    page_template = ""
    content_template = ""

    def content_context(self) -> dict:
        return _mission_context(self.request, self.mission, public_only=True)

    def content(self) -> str:
        return render_to_string(self.content_template, self.content_context(), self.request)

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        if _public_reader(request, self.mission):
            content = pagecache.public_copy(
                self.content_template,
                self.mission,
                selectors.mission_content_version(self.mission),
                self.content,
                vary=viewer_zone(request) or "",
            )
        else:
            content = self.content()
        # Our own template's output (everything in it was escaped when it was rendered).
        return render(
            request,
            self.page_template,
            {"mission": self.mission, "content": mark_safe(content)},  # noqa: S308
        )


class MissionDetailView(PublicContentView):
    """The overview: facts, calls and events around it, the map's legend, who is met."""

    page_template = "missions/mission_detail.html"
    content_template = "missions/_mission_overview.html"

    def content_context(self) -> dict:
        context = super().content_context()
        context["organizations_met"] = selectors.organizations_met(context["items"])
        context["map_points"], _legs = points_and_legs(context["items"])
        return context


class ItineraryView(PublicContentView):
    page_template = "missions/itinerary_detail.html"
    content_template = "missions/_itinerary_content.html"


class ItineraryPrintView(PublicContentView):
    """The itinerary as a printable list: one page, no navigation, venue addresses in full."""

    page_template = "missions/itinerary_print.html"
    content_template = "missions/_itinerary_print_content.html"


class MissionMapView(MissionPageView):
    """The map as SVG; the public one is drawn once per version of the mission."""

    def svg(self) -> str:
        context = _mission_context(self.request, self.mission, public_only=True)
        return map_for_items(
            context["items"], title=_("Map of %(mission)s") % {"mission": self.mission.title}
        )

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        if _public_reader(request, self.mission):
            svg = pagecache.public_copy(
                "map", self.mission, selectors.mission_content_version(self.mission), self.svg
            )
        else:
            svg = self.svg()
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
        response["Cache-Control"] = "private, max-age=60"
        return response


class ChangeLogView(MissionPageView):
    """The mission's change log: its delegates and organisers read it."""

    login_required = True
    permission_required = "missions.view_change_log"

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        pages = paginate(request, selectors.change_log(self.mission))
        return render(
            request,
            "missions/changelog_list.html",
            {
                "mission": self.mission,
                "entries": pages["page_obj"].object_list,
                "viewer_zone": viewer_zone(request),
                **pages,
            },
        )


class DelegateCalendarView(MissionPageView):
    """A delegate's own private calendar link: created or renewed here, shown once. The link
    belongs to one person: the delegate themself, whatever permissions others hold."""

    login_required = True

    def get_member(self) -> DelegationMember:
        member = selectors.delegate_of(self.mission, self.request.user)
        if member is None:
            raise Http404
        return member

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return render(
            request,
            "missions/calendar_detail.html",
            {"mission": self.mission, "member": self.get_member(), "feed_url": None},
        )

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        """Create the first link. Replacing one breaks the old link: that asks first, on
        ``DelegateCalendarRotateView``'s page."""
        member = self.get_member()
        if member.feed_token_created_at:
            return redirect("missions:my_calendar_rotate", slug=self.mission.slug)
        return _show_new_link(request, self.mission, member, _("Your private calendar link:"))


def _show_new_link(
    request: HttpRequest, mission: Mission, member: DelegationMember, message: str
) -> HttpResponse:
    """Make the delegate a new link and show it, once (only its hash is kept)."""
    try:
        token = services.feed_token_rotate(member=member, by=request.user)
    except PermissionDenied as error:
        raise Http404 from error
    messages.success(request, message)
    feed_url = request.build_absolute_uri(redirect("missions:private_feed", token=token).url)
    return render(
        request,
        "missions/calendar_detail.html",
        {"mission": mission, "member": member, "feed_url": feed_url},
    )


class DelegateCalendarRotateView(DelegateCalendarView, ConfirmedActionView):
    """Replace a delegate's private calendar link, after a page that says the old one stops
    working. The new link is shown once, on the page the POST answers with."""

    confirm_title = gettext_lazy("Make a new private calendar link?")
    confirm_button = gettext_lazy("Make a new link")

    def get_member(self) -> DelegationMember:
        member = super().get_member()
        if not member.feed_token_created_at:
            raise Http404  # nothing to replace: the calendar page creates the first link
        return member

    def confirm_lines(self) -> list[str]:
        self.get_member()
        return [
            _(
                "Your current link for %(mission)s stops working at once: calendar programs "
                "subscribed to it stop updating and show an error."
            )
            % {"mission": self.mission},
            _("The new link is shown once, on the next page: subscribe to it again."),
        ]

    def get_cancel_url(self) -> str:
        return reverse("missions:my_calendar", kwargs={"slug": self.mission.slug})

    def confirm_breadcrumbs(self) -> list[tuple[str, str]]:
        return [
            (reverse("missions:list"), _("Missions")),
            (self.mission.get_absolute_url(), self.mission.title),
            (self.get_cancel_url(), _("My private calendar")),
        ]

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return ConfirmedActionView.get(self, request, slug=slug)

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        return _show_new_link(
            request,
            self.mission,
            self.get_member(),
            _("Your new private calendar link is below. The old one no longer works."),
        )
