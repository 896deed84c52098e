"""One email layout: plain text with an HTML alternative that says the same thing."""

from django.core import mail

from common.email import email_html, send_email, send_templated


def test_send_email_sends_text_and_html_alternative(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    sent = send_email(
        subject="Your registration\nis confirmed",
        body="Hello <Ada>,\n\nSee https://example.org/events/x/\n",
        to=["ada@example.org"],
    )

    assert sent == 1
    message = mail.outbox[0]
    assert message.subject == "Your registration is confirmed"
    assert message.body.startswith("Hello <Ada>,")
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Hello &lt;Ada&gt;," in html and "<Ada>" not in html
    assert '<a href="https://example.org/events/x/"' in html
    assert "clustermissions" in html


def test_send_templated_renders_subject_and_body(settings, db):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from tests.factories import make_organization

    organization = make_organization("Cluster CLEAN")

    send_templated(
        template="organizations/email/validation",
        context={"organization": organization, "user": None},
        to=["manager@example.org"],
    )

    message = mail.outbox[0]
    assert "\n" not in message.subject
    assert "Cluster CLEAN" in message.body
    assert "Cluster CLEAN" in message.alternatives[0][0]


def test_email_html_keeps_paragraphs():
    html = email_html(subject="S", body="one\n\ntwo")

    assert "<p>one</p>" in html and "<p>two</p>" in html
