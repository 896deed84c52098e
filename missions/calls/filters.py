"""The organiser's filters over a call's applications; every value lives in the URL."""

import django_filters
from django.utils.translation import gettext_lazy as _

from common.widgets import FastSelect
from organizations.models import Role, Sector, User

from .models import Application


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
    reviewer = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        label=_("Reviewer"),
        field_name="assignments__reviewer",
        queryset=User.objects.filter(groups__name=Role.REVIEWER).order_by("email"),
        distinct=True,
    )

    class Meta:
        model = Application
        fields = ["state", "sector", "status", "reviewer"]
