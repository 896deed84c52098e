"""Filters of the participant list. Every value lives in the URL, so a search can be shared."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.choices import country_choices
from common.text import search_text
from common.widgets import FastSelect, FastSelectMultiple
from organizations.models import Organization, Sector

from .models import MarketplaceItem, Participant

MAX_QUERY_LENGTH = 200


class ParticipantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, organisation, offer…")}
        ),
    )
    sector = django_filters.ModelMultipleChoiceFilter(
        widget=FastSelectMultiple,
        label=_("Sector"),
        field_name="sectors__slug",
        to_field_name="slug",
        queryset=Sector.objects.order_by("name"),
        distinct=True,
    )
    side = django_filters.ChoiceFilter(
        label=_("Side"), choices=Participant.Side.choices, widget=FastSelect
    )
    country = django_filters.ChoiceFilter(
        widget=FastSelect,
        label=_("Country"),
        choices=country_choices,
        field_name="organization__country",
    )
    region = django_filters.CharFilter(
        label=_("US state or EU region"),
        field_name="organization__region",
        lookup_expr="iexact",
        max_length=100,
    )
    organization_kind = django_filters.ChoiceFilter(
        widget=FastSelect,
        label=_("Organisation type"),
        field_name="organization__kind",
        choices=Organization.Kind.choices,
    )
    item_type = django_filters.ChoiceFilter(
        widget=FastSelect,
        label=_("Offers or requests"),
        field_name="items__item_type",
        choices=MarketplaceItem.ItemType.choices,
        distinct=True,
    )

    class Meta:
        model = Participant
        fields = ["q", "sector", "side", "country", "region", "organization_kind", "item_type"]

    def filter_text(self, queryset, name, value):
        for word in search_text(value, max_length=MAX_QUERY_LENGTH).split()[:10]:
            matching_items = MarketplaceItem.objects.filter(
                Q(title__icontains=word) | Q(description__icontains=word)
            ).values("participant_id")
            queryset = queryset.filter(
                Q(user__full_name__icontains=word)
                | Q(organization__name__icontains=word)
                | Q(organization__city__icontains=word)
                | Q(summary__icontains=word)
                | Q(pk__in=matching_items)
            )
        return queryset
