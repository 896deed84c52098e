"""Choosing one of thousands (an organisation, a person) by typing, instead of a ``<select>``.

A ``<select>`` of every organisation grows with the directory: at a hundred times the demo's
data the itinerary item and new event pages spent most of their time rendering options, and
the page weighed megabytes. These fields render a text input instead:

- without JavaScript, the person types the name (or the email of a person) and the server
  resolves it exactly, case aside, within the field's queryset; an unknown or ambiguous name
  is a form error that says what to type;
- with ``static/js/autocomplete.js``, the input's ``<datalist>`` fills from a small JSON
  search endpoint (``search_response``) as they type. An endpoint scoped to one object (the
  participants of a session) takes its ``url_kwargs``.

A name shared by several rows is written ``Name #12`` (the suggestions do this for them).
A multiple choice keeps what is chosen as ticked checkboxes (untick to remove) and offers
``extra`` empty inputs to add more. The field's queryset is the authority: the endpoint only
suggests, and never shows more than the user may see.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, Model, Q, QuerySet
from django.forms.utils import flatatt
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .text import search_text

RESULT_CAP = 20
MIN_QUERY = 2
MAX_QUERY = 100
_WITH_ID = re.compile(r"^(?P<text>.*\S)\s+#(?P<pk>\d{1,12})$")


class Lookup:
    """How rows of one model are named in a text input: by ``field`` (``name``, ``email``),
    with ``#pk`` added when the name is shared (``unique=False``)."""

    def __init__(self, field: str, *, unique: bool, describe: Callable[[Model], str] = str):
        self.field = field
        self.unique = unique
        self.describe = describe

    def texts(self, queryset: QuerySet, objects: Iterable[Model]) -> dict[Any, str]:
        """The text that names each object unambiguously within ``queryset``: one query at
        most (which names are shared)."""
        objects = list(objects)
        names = {obj.pk: getattr(obj, self.field) for obj in objects}
        shared: set[str] = set()
        if not self.unique and objects:
            shared = set(
                queryset.order_by()
                .filter(**{f"{self.field}__in": set(names.values())})
                .values(self.field)
                .annotate(n=Count("pk"))
                .filter(n__gt=1)
                .values_list(self.field, flat=True)
            )
        return {pk: f"{name} #{pk}" if name in shared else name for pk, name in names.items()}

    def resolve(self, queryset: QuerySet, text: str, noun: str) -> Model:
        """The one row of ``queryset`` that ``text`` names, or a ``ValidationError`` that
        says what to type instead."""
        text = " ".join(text.split())
        if len(text) > 2 * MAX_QUERY + 14:
            raise ValidationError(_("That is too long for a name."), code="too_long")
        match = _WITH_ID.match(text)
        if match:
            found = list(
                queryset.filter(**{f"{self.field}__iexact": match["text"], "pk": int(match["pk"])})[
                    :2
                ]
            )
        else:
            found = list(queryset.filter(**{f"{self.field}__iexact": text}).order_by("pk")[:6])
        if not found:
            raise ValidationError(
                _("No %(noun)s is called “%(text)s”: choose one of the suggestions.")
                % {"noun": noun, "text": text},
                code="unknown",
            )
        if len(found) > 1:
            shown = ", ".join(f"“{getattr(obj, self.field)} #{obj.pk}”" for obj in found[:5])
            raise ValidationError(
                _("More than one is called “%(text)s”; type one of %(shown)s.")
                % {"text": text, "shown": shown},
                code="ambiguous",
            )
        return found[0]


class _AutocompleteMixin:
    """What both widgets share: the endpoint, and a ``<datalist>`` per input."""

    url_name = ""
    url_kwargs: dict[str, Any] | None = None

    def datalist_input(self, name: str, value: str, attrs: dict[str, Any], suffix: str) -> str:
        list_id = f"{attrs.get('id') or 'id_' + name}{suffix}-options"
        input_attrs = {
            **attrs,
            "type": "text",
            "name": name,
            "value": value,
            "list": list_id,
            "autocomplete": "off",
            "data-autocomplete": reverse(self.url_name, kwargs=self.url_kwargs),
            "maxlength": str(2 * MAX_QUERY + 14),
        }
        if suffix:
            input_attrs["id"] = f"{attrs.get('id') or 'id_' + name}{suffix}"
        if not value:
            input_attrs.pop("value")
        datalist = f'<datalist id="{conditional_escape(list_id)}"></datalist>'
        return f"<input{flatatt(input_attrs)}>{datalist}"


class AutocompleteInput(_AutocompleteMixin, forms.Widget):
    """A text input whose value names one row; the field resolves it."""

    def __init__(
        self,
        url_name: str,
        attrs: dict[str, Any] | None = None,
        url_kwargs: dict[str, Any] | None = None,
    ):
        super().__init__(attrs)
        self.url_name = url_name
        self.url_kwargs = url_kwargs
        self.text_for: Callable[[Any], str] = str

    def value_from_datadict(self, data, files, name):
        return data.get(name, "")

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        text = value if isinstance(value, str) else self.text_for(value)
        return mark_safe(self.datalist_input(name, text, final_attrs, ""))  # noqa: S308 - escaped


class AutocompleteMultipleInput(_AutocompleteMixin, forms.Widget):
    """The rows chosen, as ticked checkboxes, and ``extra`` inputs to add one each (not a
    list box: no Ctrl-click hint applies)."""

    def __init__(
        self,
        url_name: str,
        attrs: dict[str, Any] | None = None,
        extra: int = 2,
        url_kwargs: dict[str, Any] | None = None,
    ):
        super().__init__(attrs)
        self.url_name = url_name
        self.url_kwargs = url_kwargs
        self.extra = extra
        self.texts_for: Callable[[Any], list[str]] = lambda values: [str(v) for v in values]

    def value_from_datadict(self, data, files, name):
        # A QueryDict from a request, or a plain dict (tests, services) as for SelectMultiple.
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if values is None:
            return []
        if isinstance(values, str):
            values = [values]
        return [value for value in values if not isinstance(value, str) or value.strip()]

    def value_omitted_from_data(self, data, files, name):
        return False

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        values = value or []
        if values and not all(isinstance(v, str) for v in values):
            values = self.texts_for(values)
        base_id = final_attrs.get("id") or f"id_{name}"
        parts = ['<div class="autocomplete-multiple">']
        if values:
            parts.append('<ul class="plain-list">')
            for number, text in enumerate(values):
                parts.append(
                    format_html(
                        '<li><input type="checkbox" name="{}" value="{}" id="{}" checked>'
                        ' <label for="{}">{}</label></li>',
                        name,
                        text,
                        f"{base_id}_kept{number}",
                        f"{base_id}_kept{number}",
                        text,
                    )
                )
            parts.append("</ul>")
        for number in range(self.extra):
            suffix = "" if number == 0 else f"_add{number}"
            if suffix:
                # The field's label names the first input; the others say what they are for.
                parts.append(
                    format_html(
                        '<label class="visually-hidden" for="{}">{}</label>',
                        f"{base_id}{suffix}",
                        _("Add one more"),
                    )
                )
            parts.append(self.datalist_input(name, "", final_attrs, suffix))
        parts.append("</div>")
        return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


class AutocompleteChoiceField(forms.Field):
    """One row of ``queryset``, typed by name. ``url_name`` (with ``url_kwargs``) is the
    search endpoint."""

    widget = AutocompleteInput

    def __init__(
        self,
        *,
        queryset: QuerySet,
        url_name: str,
        lookup: Lookup,
        noun: str,
        url_kwargs: dict[str, Any] | None = None,
        **kwargs,
    ):
        kwargs.setdefault("widget", AutocompleteInput(url_name, url_kwargs=url_kwargs))
        kwargs.setdefault(
            "help_text", gettext_lazy("Type a few letters and choose among the suggestions.")
        )
        super().__init__(**kwargs)
        self.queryset = queryset
        self.lookup = lookup
        self.noun = noun
        self.widget.text_for = self._text_for

    def _text_for(self, value: Any) -> str:
        if value in (None, ""):
            return ""
        obj = value if isinstance(value, Model) else self.queryset.filter(pk=value).first()
        if obj is None:
            return ""
        return self.lookup.texts(self.queryset, [obj])[obj.pk]

    def to_python(self, value: Any) -> Model | None:
        if isinstance(value, Model):
            return value
        if value in self.empty_values or not str(value).strip():
            return None
        return self.lookup.resolve(self.queryset, str(value), self.noun)

    def has_changed(self, initial, data) -> bool:
        return True


class AutocompleteMultipleChoiceField(AutocompleteChoiceField):
    """Several rows of ``queryset``, each typed by name; returns a list in the order given,
    without repeats."""

    def __init__(
        self,
        *,
        url_name: str,
        extra: int = 2,
        url_kwargs: dict[str, Any] | None = None,
        **kwargs,
    ):
        kwargs.setdefault(
            "widget", AutocompleteMultipleInput(url_name, extra=extra, url_kwargs=url_kwargs)
        )
        super().__init__(url_name=url_name, url_kwargs=url_kwargs, **kwargs)
        self.widget.texts_for = self._texts_for

    def _texts_for(self, values: Iterable[Any]) -> list[str]:
        values = list(values)
        objects = [v for v in values if isinstance(v, Model)]
        pks = [v for v in values if not isinstance(v, Model)]
        if pks:
            objects += list(self.queryset.filter(pk__in=pks))
        texts = self.lookup.texts(self.queryset, objects)
        return [texts[obj.pk] for obj in objects]

    def to_python(self, value: Any) -> list[Model]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        if len(value) > 50:
            raise ValidationError(_("Choose at most 50."), code="too_many")
        chosen: dict[Any, Model] = {}
        errors = []
        for item in value:
            if isinstance(item, Model):
                chosen.setdefault(item.pk, item)
                continue
            try:
                obj = self.lookup.resolve(self.queryset, str(item), self.noun)
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                chosen.setdefault(obj.pk, obj)
        if errors:
            raise ValidationError(errors)
        return list(chosen.values())

    def validate(self, value: list[Model]) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


def search_response(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    lookup: Lookup,
    search_fields: tuple[str, ...],
) -> JsonResponse:
    """The suggestions for ``?q=``: at most ``RESULT_CAP`` rows of ``queryset`` (already
    scoped to what the user may see) whose ``search_fields`` contain every word typed, as
    ``{"results": [{"value": …, "label": …}]}``. Fewer than two letters give an empty list;
    junk (too long, control characters) a 400 that says why. Two queries."""
    raw = request.GET.get("q", "")
    if len(raw) > MAX_QUERY:
        return JsonResponse(
            {"error": _("Type at most %(count)s characters.") % {"count": MAX_QUERY}},
            status=400,
        )
    if any(ord(character) < 32 or ord(character) == 127 for character in raw):
        return JsonResponse(
            {"error": _("The search holds characters that cannot be typed.")}, status=400
        )
    scope = queryset
    words = search_text(raw).split()
    if len("".join(words)) < MIN_QUERY:
        return JsonResponse({"results": []})
    for word in words[:5]:
        condition = Q()
        for field in search_fields:
            condition |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(condition)
    objects = list(queryset.order_by(lookup.field, "pk")[:RESULT_CAP])
    texts = lookup.texts(scope, objects)
    return JsonResponse(
        {"results": [{"value": texts[obj.pk], "label": lookup.describe(obj)} for obj in objects]}
    )
