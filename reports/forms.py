"""Forms of the reports pages. They validate input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import LimitedInputMixin
from common.text import no_control_characters

from .models import ReportJob, ReportText, SurveyQuestion

RATINGS = [(score, str(score)) for score in range(1, 6)]
USEFULNESS_PREFIX = "usefulness_"
QUESTION_PREFIX = "question_"


class ReportRequestForm(LimitedInputMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=ReportJob.Kind.choices)
    page_size = forms.ChoiceField(
        label=_("Page size"), choices=ReportJob.PageSize.choices, initial=ReportJob.PageSize.A4
    )


class ReportTextForm(LimitedInputMixin, forms.ModelForm):
    class Meta:
        model = ReportText
        fields = ["summary", "roundtable_summary", "conclusions"]
        help_texts = {
            "summary": _("Opens the report: what the mission or event was and achieved."),
            "roundtable_summary": _("What was said at the roundtable."),
            "conclusions": _("Closes the report."),
        }


class SurveyQuestionForm(LimitedInputMixin, forms.Form):
    label = forms.CharField(label=_("Question"), max_length=300, validators=[no_control_characters])
    kind = forms.ChoiceField(label=_("Answer"), choices=SurveyQuestion.Kind.choices)


class SurveyAnswerForm(LimitedInputMixin, forms.Form):
    """The built-in questions, one usefulness rating per visit or session, then the
    organisers' questions."""

    overall_rating = forms.TypedChoiceField(
        label=_("Overall, how would you rate it? (1 = poor, 5 = excellent)"),
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
    )
    contacts_made = forms.IntegerField(
        label=_("How many useful contacts did you make?"), min_value=0, max_value=1000, initial=0
    )
    collaborations_planned = forms.IntegerField(
        label=_("How many collaborations do you plan with people you met?"),
        min_value=0,
        max_value=1000,
        initial=0,
    )
    comments = forms.CharField(
        label=_("Anything else you would like to tell the organisers?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        required=False,
    )
    consent_to_quote = forms.BooleanField(
        label=_("The organisers may quote my comments (without my name) in the report."),
        required=False,
    )

    def __init__(self, *args, items=(), questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.item_ids = []
        for item_id, title in items:
            self.fields[f"{USEFULNESS_PREFIX}{item_id}"] = forms.TypedChoiceField(
                label=_("How useful was “%(title)s”?") % {"title": title},
                choices=[("", _("Not attended"))] + RATINGS,
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.item_ids.append(item_id)
        self.question_ids = []
        for question in questions:
            name = f"{QUESTION_PREFIX}{question.pk}"
            if question.kind == SurveyQuestion.Kind.RATING:
                self.fields[name] = forms.TypedChoiceField(
                    label=question.label,
                    choices=[("", "–")] + RATINGS,
                    coerce=int,
                    empty_value=None,
                    required=False,
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.label,
                    max_length=2000,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            self.question_ids.append(question.pk)
        # Built-in fields first, then the per-item ratings, then the organisers' questions.
        order = ["overall_rating", "contacts_made", "collaborations_planned"]
        order += [f"{USEFULNESS_PREFIX}{i}" for i in self.item_ids]
        order += [f"{QUESTION_PREFIX}{q}" for q in self.question_ids]
        order += ["comments", "consent_to_quote"]
        self.order_fields(order)

    def answers(self) -> dict:
        data = self.cleaned_data
        return {
            "overall_rating": data["overall_rating"],
            "contacts_made": data["contacts_made"],
            "collaborations_planned": data["collaborations_planned"],
            "comments": data["comments"],
            "consent_to_quote": data["consent_to_quote"],
            "usefulness": {
                i: data[f"{USEFULNESS_PREFIX}{i}"]
                for i in self.item_ids
                if data.get(f"{USEFULNESS_PREFIX}{i}") is not None
            },
            "questions": {
                q: data[f"{QUESTION_PREFIX}{q}"]
                for q in self.question_ids
                if data.get(f"{QUESTION_PREFIX}{q}") not in (None, "")
            },
        }

    @classmethod
    def initial_from(cls, response) -> dict:
        if response is None:
            return {}
        initial = {
            "overall_rating": response.overall_rating,
            "contacts_made": response.contacts_made,
            "collaborations_planned": response.collaborations_planned,
            "comments": response.comments,
            "consent_to_quote": response.consent_to_quote,
        }
        for key, value in (response.answers.get("usefulness") or {}).items():
            initial[f"{USEFULNESS_PREFIX}{key}"] = value
        for key, value in (response.answers.get("questions") or {}).items():
            initial[f"{QUESTION_PREFIX}{key}"] = value
        return initial
