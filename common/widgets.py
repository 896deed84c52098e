"""Select widgets that write their options in Python instead of a template per option.

Django renders a ``<select>`` through ``select.html``, which includes ``select_option.html``
and ``attrs.html`` for every option: about a third of a millisecond each. A filter bar with
the world's countries and every sector spent most of ``/organisations/``'s time there
(``bench/pages.py``). These widgets produce the same markup (same attributes, same escaping:
every label and value goes through ``conditional_escape``), so
forms, validation and templates are unchanged. They read ``self.choices`` directly rather
than building Django's per-option context dictionaries.
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


class FastSelectMixin:
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        chosen = {str(v) for v in self.format_value(value)}
        parts = [f'<select name="{conditional_escape(name)}"{flatatt(final_attrs)}>']
        found = False

        def option(option_value, option_label) -> str:
            nonlocal found
            option_value = "" if option_value is None else str(option_value)
            # As Django: a single select marks only the first option with the value.
            selected = option_value in chosen and (self.allow_multiple_selected or not found)
            found = found or selected
            return (
                f'<option value="{conditional_escape(option_value)}"'
                f"{' selected' if selected else ''}>{conditional_escape(option_label)}</option>"
            )

        for option_value, option_label in self.choices:
            if isinstance(option_label, (list, tuple)):
                parts.append(f'<optgroup label="{conditional_escape(option_value)}">')
                parts.extend(option(v, label) for v, label in option_label)
                parts.append("</optgroup>")
            else:
                parts.append(option(option_value, option_label))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


class FastSelect(FastSelectMixin, forms.Select):
    pass


class FastSelectMultiple(FastSelectMixin, forms.SelectMultiple):
    pass
