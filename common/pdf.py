"""HTML to PDF with WeasyPrint, without the network.

Every document (badges, agendas, reports) is an HTML template with a print stylesheet.
Its stylesheets, fonts and images are read from the project's static files; any other URL
is refused, so rendering never makes a network request. WeasyPrint is slow to import, so
it is imported inside the function that renders.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders

# The base URL documents are rendered against: `{% static %}` paths resolve under it.
BASE_URL = "file:///clustermissions-static/"


class ExternalResourceRefused(Exception):
    """A document asked for something that is not one of our static files."""


def _static_path(url: str) -> str:
    """The static-files path that ``url`` names; refuses anything else."""
    parsed = urlparse(url)
    if parsed.scheme not in ("file", ""):
        raise ExternalResourceRefused(url)
    path = unquote(parsed.path)
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    for prefix in (static_prefix, "/clustermissions-static/"):
        if path.startswith(prefix):
            return path[len(prefix) :]
    raise ExternalResourceRefused(url)


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        """Serves our static files and ``data:`` URLs; every other URL is refused."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            found = finders.find(_static_path(url))
            if not found:
                raise ExternalResourceRefused(url)
            with open(found, "rb") as handle:
                body = handle.read()
            content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    return StaticFilesFetcher(allowed_protocols=("file", "data"))


def html_to_pdf(html: str) -> bytes:
    """The PDF of ``html``; its static references resolve locally, nothing else is fetched."""
    from weasyprint import HTML

    return HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher()).write_pdf()


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


def render_pdf(html: str, *, stylesheets: tuple[str, ...] = ()) -> RenderedPdf:
    """Like ``html_to_pdf``, with extra CSS (``stylesheets``: CSS texts, e.g. a page size)
    and the page count, read from WeasyPrint's laid-out document (no PDF parser needed)."""
    from weasyprint import CSS, HTML

    fetcher = _fetcher()
    extra = [CSS(string=css, base_url=BASE_URL, url_fetcher=fetcher) for css in stylesheets]
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(stylesheets=extra)
    return RenderedPdf(content=document.write_pdf(), pages=len(document.pages))
