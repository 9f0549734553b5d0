"""Printed documents: bilingual certificates, sign-in sheets and their ZIP.

The PDFs are read back with Debian's poppler-utils and zbar-tools, as a person
would read them: the text that is on the page, the fonts it is drawn with and
the QR code as a phone camera would decode it.
"""

import datetime
import io
import re
import shutil
import subprocess
import unicodedata
import zipfile
import zlib

import pytest

from relais.organisations.models import Organisation
from relais.people.models import Person
from relais.territory.models import Territory
from relais.training.documents import (
    certificate_filename,
    certificate_pdf,
    certificates_zip,
    signin_sheet_pdf,
)
from relais.training.models import (
    Certificate,
    CurriculumKit,
    Enrolment,
    Facilitation,
    Programme,
    Session,
)

pytestmark = pytest.mark.django_db

PACKAGES = {
    "pdftotext": "poppler-utils",
    "pdffonts": "poppler-utils",
    "pdfinfo": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "zbarimg": "zbar-tools",
}


def tool(name: str) -> str:
    """The path of a Debian command-line tool, or a skip that says what to install."""
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is missing: apt-get install {PACKAGES[name]}")
    return path


def run(*command: str) -> str:
    return subprocess.run(
        command, check=True, capture_output=True, text=True, timeout=60
    ).stdout


@pytest.fixture
def certificate():
    programme = Programme.objects.create(
        code="NUM",
        title_fr="Compétences numériques pour les cadres",
        title_ar="المهارات الرقمية للأطر",
    )
    kit = CurriculumKit.objects.create(
        programme=programme, version="1.0", released_on=datetime.date(2025, 1, 6)
    )
    venue = Organisation.objects.create(
        code="CS-AGA-01",
        kind="social_centre",
        name_fr="Centre social d'Anza",
        name_ar="المركز الاجتماعي أنزا",
        territory=Territory.objects.get(code="09.001"),
        path="1/",
        territory_path="MA/09/09.001/",
    )
    session = Session.objects.create(
        programme=programme,
        kit=kit,
        code="NUM-2025-AGA-03",
        title="Compétences numériques — relais Souss-Massa",
        level=Session.Level.RELAY,
        venue=venue,
        start_date=datetime.date(2025, 3, 3),
        end_date=datetime.date(2025, 3, 7),
        capacity=20,
        status=Session.Status.CLOSED,
        territory_path=venue.territory_path,
        organisation_path=venue.path,
    )
    trainer = Person.objects.create(
        first_name="Fatima Zahra",
        last_name="Bennani",
        first_name_ar="فاطمة الزهراء",
        last_name_ar="بناني",
    )
    Facilitation.objects.create(
        session=session, person=trainer, role=Facilitation.Role.LEAD
    )
    person = Person.objects.create(
        first_name="Mohamed",
        last_name="El Amrani",
        first_name_ar="محمد",
        last_name_ar="العمراني",
    )
    enrolment = Enrolment.objects.create(
        session=session, person=person, status=Enrolment.Status.COMPLETED
    )
    return Certificate.objects.create(
        kind=Certificate.Kind.COMPLETION,
        person=person,
        enrolment=enrolment,
        issued_on=datetime.date(2025, 3, 10),
    )


def verify_url(certificate) -> str:
    return f"https://relais.example.ma/verify/{certificate.token}/"


def pdf_text(pdf: bytes, tmp_path) -> str:
    source = tmp_path / "document.pdf"
    source.write_bytes(pdf)
    return run(tool("pdftotext"), "-enc", "UTF-8", str(source), "-")


def arabic_letters(text: str) -> str:
    """Arabic as a reader sees it: base letters, whatever the extractor gives.

    NFKC turns presentation forms (U+FB50–U+FEFF) back into the letters; what
    is left of them could not be mapped, and is dropped so that it cannot match.
    """
    text = unicodedata.normalize("NFKC", text)
    return re.sub("[\ufb50-\ufdff\ufe70-\ufeff]", "", text)


def max_glyphs_for(character: str, pdf: bytes) -> int:
    """The most glyphs that one embedded font maps back to `character`.

    Read from the fonts' ToUnicode tables, in the PDF's compressed streams.
    """
    code = f"<{ord(character):04x}>".encode()
    most = 0
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue
        if b"beginbfchar" in content:
            glyphs = re.findall(rb"^(<[0-9a-f]+>) " + re.escape(code), content, re.M)
            most = max(most, len(set(glyphs)))
    return most


def test_the_certificate_carries_both_names_in_their_scripts(certificate, tmp_path):
    pdf = certificate_pdf(certificate, verify_url(certificate))
    assert pdf.startswith(b"%PDF")

    text = pdf_text(pdf, tmp_path)
    assert "Mohamed El Amrani" in text
    assert "NUM-2025-AGA-03" in text
    assert "attestation de formation" in " ".join(text.split()).lower()
    # The name in logical order: missing, or drawn in reverse (visual order),
    # it fails. Spaces are ignored because pdftotext sometimes splits words
    # set in Amiri, whose glyphs overlap ("المم لكة").
    letters = re.sub(r"\s", "", arabic_letters(text))
    assert "محمدالعمراني" in letters
    assert "شهادةالتكوين" in letters
    assert "المهاراتالرقميةللأطر" in letters
    # Joined letters: shaped Arabic draws meem (م) with a different glyph at the
    # start of محمد than inside it; unshaped text uses one glyph for all three.
    assert max_glyphs_for("\u0645", pdf) >= 2


def test_the_certificate_draws_arabic_with_amiri(certificate, tmp_path):
    pdf = certificate_pdf(certificate, verify_url(certificate))
    source = tmp_path / "certificate.pdf"
    source.write_bytes(pdf)
    fonts = run(tool("pdffonts"), str(source))
    assert "Amiri" in fonts
    # Latin text keeps its sans-serif font: Amiri is for Arabic only.
    assert "DejaVu" in fonts


def test_the_qr_code_points_at_the_verification_page(certificate, tmp_path):
    url = verify_url(certificate)
    source = tmp_path / "certificate.pdf"
    source.write_bytes(certificate_pdf(certificate, url))
    run(
        tool("pdftoppm"),
        "-r",
        "150",
        "-png",
        "-f",
        "1",
        "-l",
        "1",
        "-singlefile",
        str(source),
        str(tmp_path / "page"),
    )
    decoded = run(tool("zbarimg"), "--raw", "-q", str(tmp_path / "page.png"))
    assert decoded.strip() == url
    # The URL is printed too, for whoever has no phone at hand.
    assert url in pdf_text(source.read_bytes(), tmp_path).replace("\n", "")


def test_the_certificate_fits_on_one_page(certificate, tmp_path):
    source = tmp_path / "certificate.pdf"
    source.write_bytes(certificate_pdf(certificate, verify_url(certificate)))
    info = run(tool("pdfinfo"), str(source))
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE)
    # A4 landscape: 842 × 595 points.
    assert re.search(r"^Page size:\s+841\.\d+ x 595\.\d+ pts", info, re.MULTILINE)


def test_the_signin_sheet_lists_the_participants(certificate, tmp_path):
    session = certificate.enrolment.session
    participants = session.enrolments.select_related("person")
    pdf = signin_sheet_pdf(session, session.start_date, participants)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    assert "NUM-2025-AGA-03" in text
    assert "El Amrani" in text
    assert "Mohamed" in text
    assert "Bennani" in text
    assert "العمراني" in re.sub(r"\s", "", arabic_letters(text))


def test_certificates_are_zipped_under_their_names(certificate):
    name = certificate_filename(certificate)
    assert name == f"certificate-num-2025-aga-03-mohamed-el-amrani-{certificate.pk}.pdf"
    archive = certificates_zip([(name, b"%PDF-1"), ("other.pdf", b"%PDF-2")])
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        assert opened.namelist() == [name, "other.pdf"]
        assert opened.read(name) == b"%PDF-1"
        assert opened.getinfo(name).compress_type == zipfile.ZIP_DEFLATED
