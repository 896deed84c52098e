import pytest

from common.pdf import ExternalResourceRefused, _static_path, html_to_pdf


def test_static_path_reads_static_urls():
    assert _static_path("file:///static/css/print.css") == "css/print.css"
    assert _static_path("file:///clustermissions-static/css/print.css") == "css/print.css"


@pytest.mark.parametrize(
    "url", ["https://example.org/font.woff2", "http://127.0.0.1/x.png", "file:///etc/passwd"]
)
def test_static_path_refuses_everything_else(url):
    with pytest.raises(ExternalResourceRefused):
        _static_path(url)


def test_html_to_pdf_renders_with_static_stylesheet_and_skips_remote_images(caplog):
    pdf = html_to_pdf(
        '<link rel="stylesheet" href="/static/css/print.css">'
        '<h1>Agenda</h1><img src="https://example.org/tracker.png">'
    )
    assert pdf.startswith(b"%PDF-")
    assert "ExternalResourceRefused: https://example.org/tracker.png" in caplog.text
