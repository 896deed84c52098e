"""Two runs inviting the same person at once: the second is refused by
``survey_invitation_one_per_person``, which the service recognises by its name (on SQLite
and PostgreSQL alike); any other refusal, such as a token drawn twice, is not that one."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from common.db import constraint_name
from reports.models import SurveyInvitation
from reports.services.surveys import ONE_INVITATION_PER_PERSON

from .test_surveys import invitation  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _refused(write) -> IntegrityError:
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        write()
    return caught.value


def test_second_invitation_of_a_person_is_the_constraint_the_service_expects(invitation):  # noqa: F811
    error = _refused(
        lambda: SurveyInvitation.objects.create(
            survey=invitation.survey, user=invitation.user, role=invitation.role, token="other"
        )
    )

    assert constraint_name(error) == ONE_INVITATION_PER_PERSON


def test_a_token_drawn_twice_is_another_constraint(invitation, organiser):  # noqa: F811
    error = _refused(
        lambda: SurveyInvitation.objects.create(
            survey=invitation.survey, user=organiser, role=invitation.role, token=invitation.token
        )
    )

    assert constraint_name(error) not in (None, ONE_INVITATION_PER_PERSON)
