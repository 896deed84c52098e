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
