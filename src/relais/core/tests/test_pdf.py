"""The one way Relais draws PDFs: inline data and the Amiri font, nothing else.

Whatever ends up in a document's HTML (a template's mistake, a name typed by
someone), rendering it reads no other local file and calls no server.
"""

import http.server
import shutil
import subprocess
import threading

import pytest

from relais.core import pdf


def text_of(document: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is missing: apt-get install poppler-utils")
    source = tmp_path / "document.pdf"
    source.write_bytes(document)
    return subprocess.run(
        ["pdftotext", str(source), "-"], check=True, capture_output=True, text=True
    ).stdout


def fonts_of(document: bytes, tmp_path) -> str:
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts is missing: apt-get install poppler-utils")
    source = tmp_path / "fonts.pdf"
    source.write_bytes(document)
    return subprocess.run(
        ["pdffonts", str(source)], check=True, capture_output=True, text=True
    ).stdout


def test_a_document_reads_no_local_file_but_the_fonts(tmp_path):
    """A file:// stylesheet outside the font folder is never read."""
    leak = tmp_path / "leak.css"
    leak.write_text('body::after { content: "LEAKED" }')
    html = (
        f'<html><head><link rel="stylesheet" href="{leak.as_uri()}">'
        '<link rel="stylesheet" href="file:///etc/hostname"></head>'
        f'<body><p>Bonjour</p><img src="{leak.as_uri()}"></body></html>'
    )
    text = text_of(pdf.write_pdf(html), tmp_path)
    assert "Bonjour" in text
    assert "LEAKED" not in text


def test_a_document_calls_no_server(tmp_path):
    """http:// resources are refused before any connection is made."""
    calls = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            calls.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b'body::after { content: "LEAKED" }')

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/style.css"
        html = f'<link rel="stylesheet" href="{url}"><img src="{url}"><p>Bonjour</p>'
        text = text_of(pdf.write_pdf(html), tmp_path)
    finally:
        server.shutdown()
        server.server_close()
    assert calls == []
    assert "LEAKED" not in text


def test_arabic_is_drawn_with_amiri_and_inline_data_loads(tmp_path):
    """The Amiri files and data: URLs are what a document may use."""
    amiri = pdf.amiri_uris()["amiri_regular"]
    document = pdf.write_pdf(
        f'<style>@font-face {{ font-family: "Amiri"; src: url("{amiri}") }}'
        ':lang(ar) { font-family: "Amiri" }</style>'
        '<p lang="ar">محمد العمراني</p>'
        '<img src="data:image/svg+xml;utf8,<svg xmlns=%22http://www.w3.org/2000/svg%22'
        ' width=%2210%22 height=%2210%22/>">'
    )
    assert "Amiri" in fonts_of(document, tmp_path)


def test_the_fetcher_refuses_what_is_not_allowed(tmp_path):
    """Other files, climbing out of the font folder, and every network protocol
    are refused; the font files are served."""
    fetcher = pdf.LocalFetcher()
    for url in [
        (tmp_path / "x.css").as_uri(),
        "file:///etc/passwd",
        pdf.amiri_uris()["amiri_regular"] + "/../../../../etc/passwd",
        "http://127.0.0.1:9/x.css",
        "https://example.org/x.css",
        "ftp://example.org/x.css",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    response = fetcher.fetch(pdf.amiri_uris()["amiri_regular"])
    assert response.read(4)
    response.close()
