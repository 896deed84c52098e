"""Organisation logos: uploaded by a manager, served through a view that applies the same
visibility as the profile (a logo of an unvalidated profile is not public)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from organizations.models import Organization
from tests.factories import make_organization

from .test_views import profile_data


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def png(size=(40, 20), color="teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(client, organization, name, content, content_type="image/png"):
    return client.post(
        reverse("organizations:edit", args=[organization.slug]),
        {**profile_data(), "logo": SimpleUploadedFile(name, content, content_type)},
        follow=True,
    )


def logo_url(organization) -> str:
    return reverse("organizations:logo", args=[organization.slug])


def test_a_manager_uploads_a_logo_that_everyone_sees(client, organization, cluster_manager):
    client.force_login(cluster_manager)
    image = png()

    upload(client, organization, "clean.png", image)

    organization.refresh_from_db()
    assert organization.logo
    page = client.get(organization.get_absolute_url()).content.decode()
    assert f'src="{logo_url(organization)}"' in page
    client.logout()
    response = client.get(logo_url(organization))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert b"".join(response.streaming_content) == image


def test_a_logo_of_a_profile_awaiting_validation_is_private(client, cluster_manager, other_user):
    pending = make_organization("Pending Cluster", validated=False, manager=cluster_manager)
    client.force_login(cluster_manager)
    upload(client, pending, "pending.png", png())
    pending.refresh_from_db()
    assert pending.logo

    manager_view = client.get(logo_url(pending))
    assert manager_view.status_code == 200
    assert manager_view["Cache-Control"] == "private, no-store"
    client.force_login(other_user)
    assert client.get(logo_url(pending)).status_code == 404
    client.logout()
    assert client.get(logo_url(pending)).status_code == 404


def test_no_logo_and_unknown_organisation_are_404(client, organization):
    assert client.get(logo_url(organization)).status_code == 404
    assert client.get(reverse("organizations:logo", args=["no-such-cluster"])).status_code == 404
    assert "<img" not in client.get(organization.get_absolute_url()).content.decode()


def test_a_logo_whose_file_is_gone_is_404_not_500(client, organization, cluster_manager):
    client.force_login(cluster_manager)
    upload(client, organization, "clean.png", png())
    organization.refresh_from_db()
    organization.logo.storage.delete(organization.logo.name)

    assert client.get(logo_url(organization)).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"<html><script>alert(1)</script></html>", "Upload a valid image"),
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "Upload a valid image"),
        ("empty.png", b"", "The submitted file is empty"),
    ],
)
def test_junk_logos_are_refused_and_nothing_is_stored(
    client, organization, cluster_manager, settings, name, content, message
):
    client.force_login(cluster_manager)

    response = upload(client, organization, name, content)

    assert message in response.content.decode()
    organization.refresh_from_db()
    assert not organization.logo
    assert not list(settings.MEDIA_ROOT.rglob("*.*"))


def test_a_logo_over_one_megabyte_is_refused(client, organization, cluster_manager, settings):
    client.force_login(cluster_manager)
    # Stored without compression: a valid PNG of 700 x 700 pixels, about 1.4 MB.
    big = Image.new("RGB", (700, 700), "white")
    buffer = io.BytesIO()
    big.save(buffer, format="PNG", compress_level=0)
    assert buffer.tell() > 1024 * 1024

    response = upload(client, organization, "big.png", buffer.getvalue())

    assert "The logo may be at most 1 MB." in response.content.decode()
    assert not Organization.objects.get(pk=organization.pk).logo
