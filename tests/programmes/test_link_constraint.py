"""Linking an activity to a second programme at the same moment: the database's unique
column refuses it, and the service recognises that constraint by its name (on SQLite and
PostgreSQL alike), re-raising any other refusal."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from common.db import constraint_name
from programmes.models import ProgrammeMission, ProgrammePartner
from programmes.services.programmes import _unique_column_constraint

from .factories import make_programme, make_published_mission

pytestmark = pytest.mark.django_db


def _refused(write) -> IntegrityError:
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        write()
    return caught.value


def test_second_programme_for_a_mission_is_the_constraint_the_service_expects(organiser):
    mission = make_published_mission(organiser)
    first, second = make_programme(organiser), make_programme(organiser)
    ProgrammeMission.objects.create(programme=first, mission=mission)

    error = _refused(lambda: ProgrammeMission.objects.create(programme=second, mission=mission))

    assert constraint_name(error) == _unique_column_constraint(ProgrammeMission, "mission")


def test_another_refusal_is_not_taken_for_the_link_constraint(organiser, organization):
    programme = make_programme(organiser)
    ProgrammePartner.objects.create(programme=programme, organization=organization)

    error = _refused(
        lambda: ProgrammePartner.objects.create(programme=programme, organization=organization)
    )

    assert constraint_name(error) == "programme_partner_unique"
    assert constraint_name(error) != _unique_column_constraint(ProgrammeMission, "mission")
