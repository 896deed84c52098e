"""Help text written by organisers is shown as text, tied to its field."""

from __future__ import annotations

import pytest
from django.urls import reverse

from missions.calls import services
from missions.calls.models import Question

from ..factories import PASSWORD

REFRESH = '<meta http-equiv="refresh" content="0;url=https://evil.example.com/">'


@pytest.fixture
def question(organiser, call):
    return services.question_add(
        call=call,
        by=organiser,
        kind=Question.Kind.TEXT,
        label="Your website",
        help_text=f"Any address.{REFRESH}\nWith <b>tags</b>.",
        required=False,
        position=10,
    )


def test_help_text_with_markup_is_escaped(client, applicant_a, application_a, question):
    client.login(email=applicant_a.email, password=PASSWORD)
    response = client.get(reverse("calls:application", args=[application_a.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<meta http-equiv" not in html
    assert "&lt;meta http-equiv=&quot;refresh&quot;" in html
    assert "With &lt;b&gt;tags&lt;/b&gt;." in html


def test_help_text_is_the_element_aria_describedby_names(
    client, applicant_a, application_a, question
):
    client.login(email=applicant_a.email, password=PASSWORD)
    html = client.get(reverse("calls:application", args=[application_a.pk])).content.decode()
    field_id = f"id_{question.field_name}"
    assert f'aria-describedby="{field_id}_helptext"' in html
    assert f'<p class="help" id="{field_id}_helptext">' in html
