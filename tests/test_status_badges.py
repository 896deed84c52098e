"""Every status value of every model has a badge: a tone (colour) and its label (text)."""

from django.apps import apps
from django.template.loader import render_to_string

from common.badges import STATUS_TONES, TONES, status_tone

STATUS_FIELD_NAMES = ("status", "state", "phase", "visit_status")


def status_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.name in STATUS_FIELD_NAMES and getattr(field, "choices", None):
                yield model, field


def test_status_badges_every_status_value_has_a_tone():
    missing = [
        f"{model._meta.label}.{field.name}={value!r}"
        for model, field in status_fields()
        for value, _label in field.flatchoices
        if value not in STATUS_TONES
    ]
    assert not missing, f"Add these status values to common/badges.py STATUS_TONES: {missing}"


def test_status_badges_walk_finds_the_known_models():
    labels = {f"{model._meta.label}.{field.name}" for model, field in status_fields()}
    expected = {
        "missions.Application.status",
        "missions.ItineraryItem.visit_status",
        "programmes.Outcome.state",
    }
    assert expected <= labels
    assert any(name.endswith(".phase") for name in labels)


def test_status_badges_tones_are_styled_ones():
    assert set(STATUS_TONES.values()) <= set(TONES)


def test_status_badges_render_colour_and_text():
    for _model, field in status_fields():
        for value, label in field.flatchoices:
            html = render_to_string("includes/status_badge.html", {"value": value, "label": label})
            assert f'class="badge badge-{status_tone(value)}"' in html
            assert str(label) in html


def test_status_badges_escape_the_label():
    html = render_to_string("includes/status_badge.html", {"value": "draft", "label": "<b>x</b>"})
    assert "<b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
