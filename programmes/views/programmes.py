"""Programmes: the list, a programme's page, its calendar feed and figures, and the
organisers' create, edit and link forms."""

from __future__ import annotations

import csv
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from common.text import csv_cell
from common.views import FormServiceView, PermissionView, editable_copy, viewer_zone
from missions.calls.selectors import calls_visible_to
from missions.events.selectors import events_visible_to
from missions.selectors import missions_visible_to

from .. import selectors, services
from ..feeds import programme_calendar
from ..forms import ProgrammeForm, ProgrammeLinkForm
from ..models import Programme


class ProgrammeListView(PermissionView):
    login_required = False

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "programmes/programme_list.html",
            {"programmes": selectors.programme_list(request.user)},
        )


class ProgrammeMixin:
    login_required = False
    permission_required = "programmes.see_programme"

    def get_object(self) -> Programme:
        return get_object_or_404(
            selectors.programme_list(self.request.user), slug=self.kwargs["slug"]
        )


class ProgrammeDetailView(ProgrammeMixin, PermissionView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return render(
            request,
            "programmes/programme_detail.html",
            {
                "programme": self.object,
                "series": selectors.programme_series(self.object, request.user),
                "outcomes": selectors.programme_outcomes(self.object, request.user),
                "viewer_zone": viewer_zone(request),
            },
        )


class ProgrammeFeedView(ProgrammeMixin, PermissionView):
    """The series as a calendar: what the reader may see, so the public feed is public."""

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        series = selectors.programme_series(self.object, request.user)
        response = HttpResponse(
            programme_calendar(self.object, series), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'inline; filename="{slugify(self.object.name)}.ics"'
        response["Cache-Control"] = "private, max-age=300"
        return response


class ProgrammeFiguresView(ProgrammeMixin, PermissionView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return render(
            request,
            "programmes/programme_figures.html",
            {"programme": self.object, "figures": selectors.programme_figures(self.object)},
        )


class ProgrammeFigureCsvView(ProgrammeMixin, PermissionView):
    def get(self, request: HttpRequest, slug: str, key: str) -> HttpResponse:
        figure = next((f for f in selectors.programme_figures(self.object) if f.key == key), None)
        if figure is None:
            raise Http404
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{slugify(self.object.name)}-{figure.key}.csv"'
        )
        writer = csv.writer(response)
        writer.writerow([csv_cell(figure.label_heading), csv_cell(_("Count"))])
        for label, value in figure.rows:
            writer.writerow([csv_cell(label), csv_cell(value)])
        return response


class ProgrammeCreateView(FormServiceView):
    permission_required = "programmes.run_programmes"
    form_class = ProgrammeForm
    template_name = "programmes/programme_form.html"
    success_message = _("Programme created.")

    def form_valid(self, form: ProgrammeForm) -> Programme:
        return services.programme_create(by=self.request.user, **form.cleaned_data)


class ProgrammeUpdateView(ProgrammeMixin, FormServiceView):
    login_required = True
    permission_required = "programmes.run_programmes"
    form_class = ProgrammeForm
    template_name = "programmes/programme_form.html"
    success_message = _("Programme saved.")

    def get_form_kwargs(self) -> dict[str, Any]:
        if self.request.method == "POST":
            return {"instance": editable_copy(self.object)}
        return {"instance": self.object}

    def form_valid(self, form: ProgrammeForm) -> Programme:
        return services.programme_update(
            programme=self.object, by=self.request.user, **form.cleaned_data
        )


class ProgrammeLinkView(ProgrammeMixin, FormServiceView):
    """Add a mission, event or call the organiser can see to the programme's series."""

    login_required = True
    permission_required = "programmes.run_programmes"
    form_class = ProgrammeLinkForm
    template_name = "programmes/programme_link.html"
    success_message = _("Added to the programme's series.")

    def get_form_kwargs(self) -> dict[str, Any]:
        user = self.request.user
        return {
            "missions": missions_visible_to(user)
            .filter(programme_link__isnull=True)
            .order_by("-start_date"),
            "events": events_visible_to(user)
            .filter(programme_link__isnull=True)
            .order_by("-starts_at"),
            "calls": calls_visible_to(user)
            .filter(programme_link__isnull=True)
            .order_by("-closes_at"),
        }

    def form_valid(self, form: ProgrammeLinkForm) -> Programme:
        return services.programme_link_activity(
            programme=self.object, activity=form.cleaned_data["activity"], by=self.request.user
        )
