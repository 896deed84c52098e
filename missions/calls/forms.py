"""Forms of calls: built from the call's own questions and criteria.

Forms only shape input; the services decide (and re-check everything a form checked,
since a request can bypass the form).
"""

from __future__ import annotations

import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from common.autocomplete import AutocompleteChoiceField
from common.forms import LimitedInputMixin
from common.text import no_control_characters
from organizations.autocomplete import PERSON_LOOKUP
from organizations.models import User

from ..forms import WallClockField
from ..timezones import wall_time_to_utc
from .models import Application, Call, Criterion, DecisionTemplate, Question, Quota
from .services.calls import quota_key_check, quota_key_choices

YES_NO = [("", "—"), ("yes", _("Yes")), ("no", _("No"))]


def _ranges(form: forms.Form, ranges: dict[str, tuple[int, int | None]]) -> None:
    """The ranges the database's checks hold (``call_max_delegates_positive``,
    ``criterion_weight_range``…), on the form's fields: these model forms skip the model's
    validation (the service does it), so without them a refused value would come back from
    the database instead of beside its field."""
    for name, (low, high) in ranges.items():
        field = form.fields[name]
        field.min_value, field.max_value = low, high
        field.validators.append(MinValueValidator(low))
        field.widget.attrs["min"] = low
        if high is not None:
            field.validators.append(MaxValueValidator(high))
            field.widget.attrs["max"] = high


class ApplicationForm(LimitedInputMixin, forms.Form):
    """One field per question (file questions take uploads instead). Every field is
    optional here: a draft may be partial; submitting asks the service for completeness."""

    def __init__(self, *args, questions: list[Question], answers: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = [q for q in questions if q.kind != Question.Kind.FILE]
        answers = answers or {}
        for question in self.questions:
            self.fields[question.field_name] = self._field(question)
            value = answers.get(str(question.pk))
            if question.kind == Question.Kind.YES_NO and isinstance(value, bool):
                value = "yes" if value else "no"
            if value is not None:
                self.initial[question.field_name] = value

    @staticmethod
    def _field(question: Question) -> forms.Field:
        label = question.label + ("" if question.required else f" ({_('optional')})")
        common = {"label": label, "required": False, "help_text": question.help_text}
        kind = question.kind
        if kind == Question.Kind.TEXT:
            return forms.CharField(max_length=min(question.max_length, 500), **common)
        if kind == Question.Kind.LONG_TEXT:
            return forms.CharField(
                max_length=question.max_length,
                widget=forms.Textarea(attrs={"rows": 6}),
                **common,
            )
        if kind == Question.Kind.CHOICE:
            return forms.ChoiceField(
                choices=[("", "—")] + [(c, c) for c in question.choices], **common
            )
        if kind == Question.Kind.MULTIPLE_CHOICE:
            return forms.MultipleChoiceField(
                choices=[(c, c) for c in question.choices],
                widget=forms.CheckboxSelectMultiple,
                **common,
            )
        return forms.ChoiceField(choices=YES_NO, **common)

    def answers(self) -> dict:
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(question.field_name)
            if question.kind == Question.Kind.YES_NO:
                value = {"yes": True, "no": False}.get(value)
            if value not in (None, "", []):
                answers[str(question.pk)] = value
        return answers


class StartForm(LimitedInputMixin, forms.Form):
    organization = forms.ModelChoiceField(queryset=None, label=_("On behalf of"))

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class AttachmentForm(LimitedInputMixin, forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, DOCX, PNG or JPEG; at most 10 MB; 5 files in all.")
    )
    question = forms.ModelChoiceField(
        queryset=Question.objects.none(), required=False, label=_("For the question")
    )

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = questions


class ScoreForm(LimitedInputMixin, forms.Form):
    """A score and a comment per criterion."""

    def __init__(self, *args, criteria: list[Criterion], scores: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        scores = scores or {}
        for criterion in criteria:
            self.fields[f"c_{criterion.pk}"] = forms.IntegerField(
                label=_("%(name)s (0–%(max)s, weight %(weight)s)")
                % {"name": criterion.name, "max": criterion.scale_max, "weight": criterion.weight},
                min_value=0,
                max_value=criterion.scale_max,
                help_text=criterion.description,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on %(name)s") % {"name": criterion.name},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            if criterion.pk in scores:
                value, comment = scores[criterion.pk]
                self.initial[f"c_{criterion.pk}"] = value
                self.initial[f"comment_{criterion.pk}"] = comment

    def scores(self) -> dict[int, tuple[int, str]]:
        return {
            c.pk: (self.cleaned_data[f"c_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"])
            for c in self.criteria
        }


class ConflictForm(LimitedInputMixin, forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=500)


class AssignForm(LimitedInputMixin, forms.Form):
    """One reviewer for an application, typed by name or email. Anyone active with the
    reviewer role may be chosen, not a panel of the call's own, so the choice grows with the
    user base: no ``<select>`` of them, but the call's own search endpoint."""

    def __init__(self, *args, reviewers: QuerySet[User], call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"] = AutocompleteChoiceField(
            queryset=reviewers,
            url_name="calls:reviewer_search",
            url_kwargs={"pk": call.pk},
            lookup=PERSON_LOOKUP,
            noun=_("reviewer"),
            label=_("Reviewer"),
            help_text=_("Type a name or an email address; each person by email."),
        )


DECISION_CHOICES = [("", _("No decision"))] + [(s.value, s.label) for s in Application.DECISIONS]


class DecisionsForm(LimitedInputMixin, forms.Form):
    """A decision and, for the waiting list, a rank per application."""

    def __init__(self, *args, applications: list[Application], selected=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.applications = applications
        for application in applications:
            self.fields[f"d_{application.pk}"] = forms.ChoiceField(
                choices=DECISION_CHOICES, required=False, label=str(application.organization)
            )
            self.fields[f"w_{application.pk}"] = forms.IntegerField(
                min_value=1, max_value=999, required=False, label=_("Waitlist rank")
            )
            initial = application.decision_pending
            if selected:
                initial = "selected" if application.pk in selected else "waitlisted"
            self.initial[f"d_{application.pk}"] = initial
            self.initial[f"w_{application.pk}"] = application.waitlist_rank

    def decisions(self) -> tuple[dict[int, str], list[int]]:
        decisions = {}
        ranks = []
        for application in self.applications:
            decision = self.cleaned_data.get(f"d_{application.pk}")
            if decision:
                decisions[application.pk] = decision
                rank = self.cleaned_data.get(f"w_{application.pk}") or 999
                ranks.append((rank, application.pk))
        return decisions, [pk for _rank, pk in sorted(ranks)]


class DecisionTemplateForm(LimitedInputMixin, forms.ModelForm):
    class Meta:
        model = DecisionTemplate
        fields = ["subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].validators.append(no_control_characters)


TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class CallForm(LimitedInputMixin, forms.ModelForm):
    """The call's settings. Opening and closing are typed as clocks in the call's zone."""

    opens_at = WallClockField(
        label=_("Opens (in the call's zone)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    closes_at = WallClockField(
        label=_("Deadline (in the call's zone)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    time_zone = forms.ChoiceField(label=_("Time zone of the call"), choices=TIME_ZONE_CHOICES)

    class Meta:
        model = Call
        fields = [
            "title",
            "description",
            "eligibility",
            "time_zone",
            "opens_at",
            "closes_at",
            "max_delegates",
            "max_per_organization",
            "conflict_rule",
            "reviews_per_application",
            "is_published",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].validators.append(no_control_characters)
        _ranges(self, {"max_delegates": (1, None), "max_per_organization": (1, None)})
        if self.instance.pk and not self.is_bound:
            # Show the stored instants as clocks in the call's zone.
            for name in ("opens_at", "closes_at"):
                value = getattr(self.instance, name).astimezone(self.instance.tz)
                self.initial[name] = value.replace(tzinfo=None)

    def clean(self):
        cleaned = super().clean()
        zone = cleaned.get("time_zone")
        for name in ("opens_at", "closes_at"):
            value = cleaned.get(name)
            if zone and value is not None:
                try:
                    cleaned[name] = wall_time_to_utc(value.replace(tzinfo=None), zone, field=name)
                except ValidationError as error:
                    self.add_error(None, error)
        if (
            cleaned.get("opens_at")
            and cleaned.get("closes_at")
            and cleaned["closes_at"] <= cleaned["opens_at"]
        ):
            self.add_error("closes_at", _("The deadline must come after the opening."))
        return cleaned

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def _post_clean(self):
        # The service validates the model; the form only shapes the input.
        pass


class QuestionForm(LimitedInputMixin, forms.ModelForm):
    prefix = "question"
    choices_text = forms.CharField(
        label=_("Choices, one per line"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Question
        fields = ["kind", "label", "help_text", "required", "max_length", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].validators.append(no_control_characters)
        _ranges(self, {"max_length": (1, 20_000)})

    def values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        lines = self.cleaned_data.get("choices_text", "").splitlines()
        values["choices"] = [line.strip() for line in lines if line.strip()][:50]
        return values

    def _post_clean(self):
        pass


class CriterionForm(LimitedInputMixin, forms.ModelForm):
    prefix = "criterion"

    class Meta:
        model = Criterion
        fields = ["name", "description", "weight", "scale_max", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].validators.append(no_control_characters)
        _ranges(self, {"weight": (1, 100), "scale_max": (1, 100)})

    def _post_clean(self):
        pass


class QuotaForm(LimitedInputMixin, forms.ModelForm):
    """A quota's kind, then its key chosen from the real choices: a US state (or every
    state) for a per-state maximum, a sector for a per-sector minimum. Typed keys let
    "Narnia" in, which then limited nobody."""

    prefix = "quota"
    key = forms.ChoiceField(
        label=_("State or sector"),
        help_text=_("A US state (or every state) for “at most N”; a sector for “at least M”."),
    )

    class Meta:
        model = Quota
        fields = ["kind", "key", "number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [("", "—"), *quota_key_choices()]
        self.fields["number"].min_value = 0
        self.fields["number"].max_value = 999
        self.fields["number"].validators += [MinValueValidator(0), MaxValueValidator(999)]

    def clean(self):
        cleaned = super().clean()
        kind, key = cleaned.get("kind"), cleaned.get("key")
        if kind and key:
            try:
                quota_key_check(kind, key)
            except ValidationError as error:
                self.add_error("key", error)
        return cleaned

    def _post_clean(self):
        pass


class DecisionsSendForm(LimitedInputMixin, forms.Form):
    """The explicit choice to send decisions early: needed only when there are ``warnings``
    (the call still open, reviews missing)."""

    send_anyway = forms.BooleanField(
        label=_("Send them anyway: I have read what is above"), required=False
    )

    def __init__(self, *args, warnings: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.warnings = warnings
        if not warnings:
            del self.fields["send_anyway"]

    def clean(self):
        cleaned = super().clean()
        if self.warnings and not cleaned.get("send_anyway"):
            self.add_error(
                "send_anyway",
                _("Tick the box to send the decisions despite the warnings, or go back."),
            )
        return cleaned
