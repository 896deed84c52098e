"""Organisations and people chosen by typing (``common.autocomplete``): the fields every
form uses, and the lookups the search endpoints share with them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from common.autocomplete import (
    AutocompleteChoiceField,
    AutocompleteMultipleChoiceField,
    Lookup,
)

from .models import Organization, User


def _describe_organization(organization: Organization) -> str:
    place = ", ".join(part for part in (organization.city, organization.country.name) if part)
    return f"{organization.name} ({place})" if place else organization.name


def _describe_person(user: User) -> str:
    return f"{user.full_name} <{user.email}>" if user.full_name else user.email


# Two organisations may share a name (``Name #12`` tells them apart); an email is unique.
ORGANIZATION_LOOKUP = Lookup("name", unique=False, describe=_describe_organization)
PERSON_LOOKUP = Lookup("email", unique=True, describe=_describe_person)
ORGANIZATION_SEARCH_FIELDS = ("name", "city")
PERSON_SEARCH_FIELDS = ("email", "full_name")


def organization_field(queryset: QuerySet[Organization], **kwargs) -> AutocompleteChoiceField:
    """One organisation of ``queryset``, typed by name."""
    return AutocompleteChoiceField(
        queryset=queryset,
        url_name="organizations:search",
        lookup=ORGANIZATION_LOOKUP,
        noun=_("organisation"),
        **kwargs,
    )


def organizations_field(
    queryset: QuerySet[Organization], **kwargs
) -> AutocompleteMultipleChoiceField:
    """Several organisations of ``queryset``, each typed by name."""
    return AutocompleteMultipleChoiceField(
        queryset=queryset,
        url_name="organizations:search",
        lookup=ORGANIZATION_LOOKUP,
        noun=_("organisation"),
        **kwargs,
    )


def people_field(queryset: QuerySet[User], **kwargs) -> AutocompleteMultipleChoiceField:
    """Several people of ``queryset``, each typed by email address."""
    kwargs.setdefault("help_text", _("Type a name or an email address; each person by email."))
    return AutocompleteMultipleChoiceField(
        queryset=queryset,
        url_name="organizations:people_search",
        lookup=PERSON_LOOKUP,
        noun=_("person"),
        **kwargs,
    )
