"""The ``may`` filter asks the django-rules permissions only, so the navigation costs no query."""

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.models import Role
from tests.factories import make_user

NAV = Template(
    '{% load permissions %}{% if user|may:"programmes.verify_outcome" %}verify{% endif %}'
    '{% if user|may:"organizations.validate_organization" %}validate{% endif %}'
)


def render(user) -> str:
    return NAV.render(Context({"user": user}))


def test_may_organiser_validates_but_does_not_verify(organiser):
    assert render(organiser) == "validate"


def test_may_staff_verifies(staff_member):
    assert render(staff_member) == "verify"


def test_may_anonymous_gets_nothing(db):
    assert render(AnonymousUser()) == ""


def test_may_asks_no_query_once_roles_are_read(organiser, django_assert_num_queries):
    organiser.role_names  # noqa: B018 (read once per request, as the middleware-loaded user does)

    with django_assert_num_queries(0):
        assert render(organiser) == "validate"


def test_navigation_of_an_organiser_reads_no_model_permissions(client, db):
    user = make_user(roles=(Role.ORGANISER,))
    client.force_login(user)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("organizations:review"))

    assert response.status_code == 200
    assert "Verify outcomes" not in response.content.decode()
    assert not [q for q in queries.captured_queries if "auth_permission" in q["sql"]]
