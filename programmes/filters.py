"""The partnership directory's filters. Every value lives in the URL, so a search can be
shared."""

import django_filters
from django.utils.translation import gettext_lazy as _

from common.choices import country_choices
from common.widgets import FastSelect, FastSelectMultiple
from organizations.models import Sector

from .models import Partnership


class PartnershipFilter(django_filters.FilterSet):
    sector = django_filters.ModelMultipleChoiceFilter(
        widget=FastSelectMultiple,
        label=_("Sector"),
        field_name="sectors__slug",
        to_field_name="slug",
        queryset=Sector.objects.order_by("name"),
        distinct=True,
    )
    partner_country = django_filters.ChoiceFilter(
        label=_("Partner country"),
        choices=country_choices,
        method="filter_partner_country",
        widget=FastSelect,
    )
    target_country = django_filters.ChoiceFilter(
        label=_("Target country"),
        choices=country_choices,
        method="filter_target_country",
        widget=FastSelect,
    )

    class Meta:
        model = Partnership
        fields = ["sector", "partner_country", "target_country"]

    def filter_partner_country(self, queryset, name, value):
        return queryset.filter(memberships__organization__country=value).distinct()

    def filter_target_country(self, queryset, name, value):
        # The countries are stored as "US,JP,BR": two-letter codes joined by commas, so a
        # code can only match a whole code.
        return queryset.filter(target_countries__contains=value)
