"""The shared input limits: dates from 2000 to 2100, text within a length named in the message."""

from __future__ import annotations

from django import forms

from common.forms import LONG_TEXT_MAX, LimitedInputMixin


class Sample(LimitedInputMixin, forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    moment = forms.DateTimeField(required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea)
    title = forms.CharField(max_length=20, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Added after the mixin's __init__: still limited before validation.
        self.fields["late"] = forms.CharField(required=False)


def test_limited_input_accepts_sensible_values():
    form = Sample({"day": "2026-05-04", "moment": "2100-12-31 23:00", "notes": "x" * LONG_TEXT_MAX})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["notes"] == "x" * LONG_TEXT_MAX


def test_limited_input_refuses_years_outside_2000_to_2100():
    for day in ("1999-12-31", "1900-01-01", "9999-12-31", "2101-01-01"):
        form = Sample({"day": day, "moment": day + " 10:00"})
        assert not form.is_valid()
        assert form.errors["day"] == ["Choose a date between 2000 and 2100."]
        assert form.errors["moment"] == ["Choose a date between 2000 and 2100."]


def test_limited_input_refuses_long_text_naming_the_limit_and_cuts_nothing():
    pasted = "a" * 2_000_000
    form = Sample({"day": "2026-05-04", "notes": pasted, "late": pasted})
    assert not form.is_valid()
    message = (
        "This text may be at most 10,000 characters long; it has 2,000,000. "
        "Shorten it: nothing was cut or saved."
    )
    assert form.errors["notes"] == [message]
    assert form.errors["late"] == [message]


def test_limited_input_keeps_a_field_s_own_limit():
    form = Sample({"day": "2026-05-04", "title": "t" * 21})
    assert not form.is_valid()
    assert "at most 20 characters" in form.errors["title"][0]


def test_limited_input_tells_the_date_picker_the_range():
    html = str(Sample()["day"])
    assert 'min="2000-01-01"' in html and 'max="2100-12-31"' in html
    assert 'maxlength="10000"' in str(Sample()["notes"])

    class Typed(LimitedInputMixin, forms.Form):
        # A date input typed through its attributes, as several of our forms write it.
        starts = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    html = str(Typed()["starts"])
    assert 'min="2000-01-01T00:00"' in html and 'max="2100-12-31T23:59"' in html


def test_limited_input_adds_each_validator_once():
    form = Sample({"day": "1900-01-01"})
    form.is_valid()
    form.full_clean()
    assert form.errors["day"] == ["Choose a date between 2000 and 2100."]
    assert len(form.fields["notes"].validators) == 2  # ProhibitNull + the length


# -- every form of ours takes the limits ------------------------------------------------

OUR_FORM_MODULES = (
    "organizations.forms",
    "missions.forms",
    "missions.events.forms",
    "missions.calls.forms",
    "matchmaking.forms",
    "matchmaking.views.agenda",
    "matchmaking.views.organiser",
    "programmes.forms",
    "reports.forms",
)


def _our_forms():
    import importlib
    import inspect

    for module_name in OUR_FORM_MODULES:
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module_name
            ):
                yield f"{module_name}.{name}", value


def _needs_limits(form_class) -> bool:
    """A model form, or a form with a date, a date-time or a text field without its own
    maximum, needs the shared limits."""
    return issubclass(form_class, forms.ModelForm) or any(
        isinstance(field, (forms.DateField, forms.DateTimeField))
        or (isinstance(field, forms.CharField) and field.max_length is None)
        for field in form_class.base_fields.values()
    )


def test_every_form_with_dates_or_text_takes_the_shared_limits():
    found = dict(_our_forms())
    assert "missions.forms.MissionForm" in found and len(found) > 30
    missing = sorted(
        name
        for name, form_class in found.items()
        if _needs_limits(form_class) and not issubclass(form_class, LimitedInputMixin)
    )
    assert not missing, f"forms without common.forms.LimitedInputMixin: {missing}"


def test_a_multiple_choice_list_box_says_how_to_pick_several():
    class Choose(LimitedInputMixin, forms.Form):
        countries = forms.MultipleChoiceField(choices=[("DK", "Denmark"), ("SE", "Sweden")])
        sectors = forms.MultipleChoiceField(
            choices=[("a", "A")], widget=forms.CheckboxSelectMultiple, help_text="Tick some."
        )
        partners = forms.MultipleChoiceField(choices=[("a", "A")], help_text="Partners.")

    form = Choose()
    hint = "To pick several, hold Ctrl (⌘ on a Mac) while you click; on a phone, tap each."
    assert form.fields["countries"].help_text == hint
    assert form.fields["partners"].help_text == f"Partners. {hint}"
    assert form.fields["sectors"].help_text == "Tick some."  # checkboxes need no hint
    form.full_clean()
    assert form.fields["partners"].help_text == f"Partners. {hint}"  # once


def test_real_multi_selects_say_how_to_pick_several(db):
    from programmes.forms import PartnershipForm

    form = PartnershipForm()
    assert "To pick several, hold Ctrl" in str(form.fields["target_countries"].help_text)
    assert "To pick several, hold Ctrl" in form.as_div()


def test_filter_bar_says_how_to_pick_several(client, db):
    from django.urls import reverse

    page = client.get(reverse("organizations:list")).content.decode()
    assert "To pick several, hold Ctrl" in page
