"""The fast select widgets write exactly the markup Django's templates write."""

from django import forms
from django.test.html import parse_html
from django_countries import countries

from common.widgets import FastSelect, FastSelectMultiple

CHOICES = [
    ("", "---------"),
    ("a", "Alpha & <b>bold</b>"),
    ('Group "one"', [("b", "Beta"), ("c", 'C "quoted"')]),
    (3, "Three"),
]


def both(fast, slow, value, attrs=None):
    return (
        parse_html(str(fast.render("pick", value, attrs=attrs))),
        parse_html(str(slow.render("pick", value, attrs=attrs))),
    )


def test_fast_select_matches_django_markup_and_escapes():
    fast, slow = both(
        FastSelect(choices=CHOICES), forms.Select(choices=CHOICES), "b", {"id": "id_pick"}
    )

    assert fast == slow
    html = str(FastSelect(choices=CHOICES).render("pick", "a"))
    assert "<b>" not in html
    assert "&lt;b&gt;" in html


def test_fast_select_multiple_marks_every_chosen_option():
    fast, slow = both(
        FastSelectMultiple(choices=CHOICES),
        forms.SelectMultiple(choices=CHOICES),
        ["a", "3"],
        {"required": True, "disabled": False},
    )

    assert fast == slow
    assert (
        str(FastSelectMultiple(choices=CHOICES).render("pick", ["a", "3"])).count("selected") == 2
    )


def test_fast_select_with_every_country_matches_django_markup():
    choices = [("", "---------"), *countries]

    fast, slow = both(FastSelect(choices=choices), forms.Select(choices=choices), "DK")

    assert fast == slow


def _filtersets():
    """Every django-filter FilterSet of our apps (a new app's filters.py is found too)."""
    import importlib
    import pkgutil
    from pathlib import Path

    import django_filters

    root = Path(__file__).resolve().parents[2]
    found = []
    for module in pkgutil.walk_packages([str(root)]):
        if not module.name.endswith("filters") or module.name.split(".")[0] in {"tests", "bench"}:
            continue
        loaded = importlib.import_module(module.name)
        for value in vars(loaded).values():
            if (
                isinstance(value, type)
                and issubclass(value, django_filters.FilterSet)
                and value.__module__ == loaded.__name__
            ):
                found.append(value)
    return found


def test_every_filter_bar_select_renders_in_python():
    """A filter bar's select goes through FastSelect: Django's widget renders a template per
    option, and a country select (about 250) once cost most of a directory page's time."""
    filtersets = _filtersets()
    assert {f.__name__ for f in filtersets} >= {
        "OrganizationFilter",
        "ParticipantFilter",
        "PartnershipFilter",
    }
    slow = []
    for filterset in filtersets:
        for name, declared in filterset.base_filters.items():
            widget = declared.field.widget
            if isinstance(widget, forms.Select) and not isinstance(
                widget, (FastSelect, FastSelectMultiple)
            ):
                slow.append(f"{filterset.__name__}.{name}")
    assert slow == []


def test_country_filters_use_the_per_language_list():
    """Country choices come from common.choices.country_choices (built once per language), not
    django_countries.countries (translated and sorted on every iteration)."""
    from common.choices import country_choices

    countries_filters = []
    for filterset in _filtersets():
        for name, declared in filterset.base_filters.items():
            choices = declared.extra.get("choices")
            if choices is countries:
                countries_filters.append(f"{filterset.__name__}.{name}")
            elif choices is not None and not isinstance(choices, (list, tuple)):
                assert choices is country_choices, f"{filterset.__name__}.{name}"
    assert countries_filters == []
