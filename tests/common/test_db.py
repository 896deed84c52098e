"""``constraint_name`` names the constraint behind an IntegrityError on SQLite and PostgreSQL."""

import pytest
from django.db import IntegrityError, transaction

from common.db import _name_from_sqlite_message, constraint_name
from organizations.models import Membership, Organization, User
from tests.factories import make_organization, make_user


def _refused(write) -> IntegrityError:
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        write()
    return caught.value


@pytest.mark.django_db
def test_constraint_name_of_a_unique_constraint_over_two_columns():
    user, organization = make_user("a@test.example.org"), make_organization("Alpha")
    Membership.objects.create(user=user, organization=organization)

    error = _refused(lambda: Membership.objects.create(user=user, organization=organization))

    assert constraint_name(error) == "membership_unique_user_organization"


@pytest.mark.django_db
def test_constraint_name_of_a_unique_field_is_the_postgresql_name():
    make_organization("Alpha")
    slug = Organization.objects.get().slug

    error = _refused(lambda: Organization.objects.create(name="Other", slug=slug))

    assert constraint_name(error) == "organizations_organization_slug_key"


@pytest.mark.django_db
def test_constraint_name_of_a_unique_expression_index():
    make_user("Same@test.example.org")

    error = _refused(lambda: User.objects.create(email="same@TEST.example.org", full_name="Copy"))

    assert constraint_name(error) in {
        "user_email_unique_case_insensitive",
        "organizations_user_email_key",
    }


@pytest.mark.django_db
def test_constraint_name_of_a_check_constraint():
    error = _refused(
        lambda: Organization.objects.create(
            name="Nowhere", slug="nowhere", latitude=100, longitude=10
        )
    )

    assert constraint_name(error) == "organization_latitude_range"


@pytest.mark.parametrize(
    ("message", "name"),
    [
        ("registration_within_capacity", "registration_within_capacity"),
        ("CHECK constraint failed: score_value_range", "score_value_range"),
        (
            "UNIQUE constraint failed: index 'registration_one_live_per_user'",
            "registration_one_live_per_user",
        ),
        (
            "UNIQUE constraint failed: missions_itineraryday.mission_id, "
            "missions_itineraryday.date",
            "itinerary_day_unique_date",
        ),
        ("UNIQUE constraint failed: nowhere.a, nowhere.b", None),
        ("NOT NULL constraint failed: missions_event.title", None),
        ("FOREIGN KEY constraint failed", None),
    ],
)
def test_name_from_sqlite_message(message, name):
    assert _name_from_sqlite_message(message) == name
