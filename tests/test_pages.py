"""Site-wide pages and headers."""

import pytest
from django.urls import reverse
from django.utils import translation


@pytest.mark.django_db
def test_home_page_has_landmarks_and_language(client):
    response = client.get(reverse("home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    for landmark in ('<header class="site-header">', '<main id="content"', "<footer", "<nav "):
        assert landmark in html


@pytest.mark.django_db
def test_every_asset_is_served_from_static(client):
    html = client.get(reverse("home")).content.decode()

    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html
    assert "/static/css/site.css" in html


def test_user_facing_strings_go_through_translation():
    with translation.override("en"):
        from organizations.models import Organization

        assert str(Organization.Kind.RI_NETWORK.label) == "R&I network"
    # The machinery is in place: LocaleMiddleware and a locale directory.
    from django.conf import settings

    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE
    assert settings.LOCALE_PATHS and settings.LOCALE_PATHS[0].name == "locale"
