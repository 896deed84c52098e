"""The organiser's filters over a call's applications; every value lives in the URL."""

import django_filters
from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils.translation import gettext_lazy as _

from common.widgets import FastSelect
from organizations.models import Sector, User

from .models import Application, ReviewAssignment


class ApplicationFilter(django_filters.FilterSet):
    state = django_filters.CharFilter(
        label=_("US state"),
        field_name="organization__region",
        lookup_expr="iexact",
        max_length=100,
    )
    sector = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        label=_("Sector"),
        field_name="organization__sectors",
        to_field_name="slug",
        queryset=Sector.objects.order_by("name"),
        distinct=True,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Application.Status.choices, widget=FastSelect
    )
    # Its choices are set per instance: see __init__.
    reviewer = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        label=_("Reviewer"),
        field_name="assignments__reviewer",
        queryset=User.objects.none(),
        distinct=True,
    )

    class Meta:
        model = Application
        fields = ["state", "sector", "status", "reviewer"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["reviewer"].queryset = _reviewers_assigned_to(self.queryset)


def _reviewers_assigned_to(applications: QuerySet[Application]) -> QuerySet[User]:
    """The people assigned to review at least one of ``applications``, inactive ones included
    (their assignments still show in the list), by the name the page shows them under.

    The reviewer role is site-wide and grows with the user base; the people assigned in one
    call are its panel, so the select stays short. A reviewer id outside it is a form error.
    One query, whichever the number of applications."""
    shown_name = Lower(Coalesce(NullIf("full_name", Value("")), "email"))
    assigned = ReviewAssignment.objects.filter(application__in=applications.values("pk"))
    return User.objects.filter(pk__in=assigned.values("reviewer")).order_by(shown_name, "pk")
