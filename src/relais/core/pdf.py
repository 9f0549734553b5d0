"""The one way Relais draws a PDF: WeasyPrint, the Amiri font, and nothing else.

Certificates, sign-in sheets, the note to the minister and the person's file all
come through here. Everything a document uses is either inline (QR codes and
charts as SVG, data: URLs) or one of the Amiri files shipped by fontpkg-amiri.
The fetcher refuses every other URL, local file or network alike: whatever ends
up in the HTML (a template's mistake, a name someone typed), rendering a
document reads no other file and calls no server.
"""

import importlib.util
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher


@cache
def font_dir() -> Path:
    """The folder of the Amiri TTF files, found where fontpkg-amiri is installed."""
    spec = importlib.util.find_spec("fontpkg_amiri")
    if spec is None or not spec.submodule_search_locations:
        raise ImproperlyConfigured(
            "The fontpkg-amiri package is needed to print Arabic documents."
        )
    return (Path(spec.submodule_search_locations[0]) / "files").resolve()


def amiri_uris() -> dict[str, str]:
    """The Amiri files as the templates' @font-face rules name them."""
    fonts = font_dir()
    return {
        "amiri_regular": (fonts / "Amiri-Regular.ttf").as_uri(),
        "amiri_bold": (fonts / "Amiri-Bold.ttf").as_uri(),
    }


class LocalFetcher(URLFetcher):
    """Inline data, and files of the Amiri folder only; no network at all."""

    def __init__(self):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme.lower() == "file":
            if parts.netloc not in ("", "localhost"):
                raise ValueError(f"Refused: {url}")
            path = Path(url2pathname(unquote(parts.path))).resolve()
            if path.parent != font_dir():
                raise ValueError(f"Refused: only the font files are read, not {url}")
        elif parts.scheme.lower() != "data":
            raise ValueError(f"Refused: no network access while printing ({url})")
        return super().fetch(url, headers)


def write_pdf(html: str) -> bytes:
    """The PDF of `html`, with the restricted fetcher."""
    document = HTML(
        string=html, base_url=font_dir().as_uri() + "/", url_fetcher=LocalFetcher()
    )
    # @font-face rules are only honoured with a font configuration.
    return document.write_pdf(font_config=FontConfiguration())


def render_pdf(template: str, context: dict) -> bytes:
    """Render `template` to HTML, then to PDF, with the Amiri files at hand."""
    return write_pdf(render_to_string(template, {**context, **amiri_uris()}))
