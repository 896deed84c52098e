"""The whole call through its pages: apply, upload, submit, review, rank, decide, result."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from missions.calls.models import Application
from missions.models import DelegationMember
from tests.missions.factories import make_mission

from ...conftest import outbox_cleared, wait_for
from .factories import PDF_BYTES, complete_answers


@pytest.fixture
def mission(organiser):
    """A mission still ahead: its decisions are emailed (nothing is, once a mission ended)."""
    start = timezone.localdate() + dt.timedelta(days=60)
    return make_mission(
        organiser, start=start.isoformat(), end=(start + dt.timedelta(days=3)).isoformat()
    )


def test_call_from_application_to_delegation(
    task_worker, client, call, organiser, applicant_a, org_a, assigned_reviewer, mailoutbox
):
    client.force_login(applicant_a)
    response = client.post(
        reverse("calls:apply", kwargs={"pk": call.pk}), {"organization": org_a.pk}
    )
    application = Application.objects.get(contact=applicant_a)
    assert response["Location"] == reverse("calls:application", kwargs={"pk": application.pk})
    page = reverse("calls:application", kwargs={"pk": application.pk})
    data = {f"q_{k}": ("yes" if v is True else v) for k, v in complete_answers(call).items()}
    assert client.post(page, data).status_code == 302  # draft saved
    pdf = SimpleUploadedFile("plan.pdf", PDF_BYTES, "application/pdf")
    client.post(reverse("calls:upload", kwargs={"pk": application.pk}), {"file": pdf})
    assert client.post(page, {**data, "submit": "1"}).status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.attachments.get().original_name == "plan.pdf"

    client.force_login(organiser)
    client.post(
        reverse(
            "calls:manage_application", kwargs={"pk": call.pk, "application_pk": application.pk}
        ),
        {"reviewer": assigned_reviewer.email},
    )
    assignment = application.assignments.get()

    client.force_login(assigned_reviewer)
    criteria = list(call.criteria.all())
    response = client.post(
        reverse("calls:review", kwargs={"pk": assignment.pk}),
        {
            f"c_{criteria[0].pk}": "5",
            f"c_{criteria[1].pk}": "8",
            f"comment_{criteria[0].pk}": "Strong fit.",
        },
    )
    assert response.status_code == 302

    client.force_login(organiser)
    response = client.post(reverse("calls:ranking", kwargs={"pk": call.pk}))
    assert response["Location"].endswith(f"?selected={application.pk}")
    ranking = client.get(response["Location"]).content.decode()
    assert "This selection meets every limit and quota." in ranking
    decisions = reverse("calls:decisions", kwargs={"pk": call.pk})
    form = client.get(decisions + f"?selected={application.pk}").context["form"]
    assert form.initial[f"d_{application.pk}"] == "selected"
    client.post(decisions, {"action": "prepare", f"d_{application.pk}": "selected"})
    application.refresh_from_db()
    assert (application.status, application.decision_pending) == ("under_review", "selected")
    # Only the submission's confirmation so far: preparing decisions sends nothing.
    assert wait_for(lambda: len(mail.outbox) == 1)
    outbox_cleared()
    assert mail.outbox == []
    client.post(reverse("calls:decisions_send", kwargs={"pk": call.pk}), {"send_anyway": "on"})
    application.refresh_from_db()
    assert application.status == "selected"
    assert wait_for(lambda: len(mail.outbox) == 1)
    assert DelegationMember.objects.filter(user=applicant_a, organization=org_a).exists()

    client.force_login(applicant_a)
    result = client.get(page).content.decode()
    assert "You are in the delegation." in result
    assert call.mission.get_absolute_url() in result
    history = client.get(
        reverse(
            "calls:manage_application", kwargs={"pk": call.pk, "application_pk": application.pk}
        )
    )
    assert history.status_code == 404  # organisers' page
    client.force_login(organiser)
    history = client.get(
        reverse(
            "calls:manage_application", kwargs={"pk": call.pk, "application_pk": application.pk}
        )
    )
    assert [(c.from_status, c.to_status) for c in history.context["history"]] == [
        ("draft", "submitted"),
        ("submitted", "under_review"),
        ("under_review", "selected"),
    ]
