"""The directory's filters. Every value lives in the URL, so a search can be shared."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.choices import country_choices
from common.text import search_text
from common.widgets import FastSelect, FastSelectMultiple

from .models import Organization, Sector

MAX_QUERY_LENGTH = 200


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, city, topic…")}),
    )
    sector = django_filters.ModelMultipleChoiceFilter(
        widget=FastSelectMultiple,
        label=_("Sector"),
        field_name="sectors__slug",
        to_field_name="slug",
        queryset=Sector.objects.order_by("name"),
        distinct=True,
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=country_choices, widget=FastSelect
    )
    region = django_filters.CharFilter(
        label=_("US state or EU region"), lookup_expr="iexact", max_length=100
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Organization.Kind.choices, widget=FastSelect
    )

    class Meta:
        model = Organization
        fields = ["q", "sector", "country", "region", "kind"]

    def filter_text(self, queryset, name, value):
        for word in search_text(value).split()[:10]:
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(city__icontains=word)
                | Q(region__icontains=word)
                | Q(description__icontains=word)
            )
        return queryset
