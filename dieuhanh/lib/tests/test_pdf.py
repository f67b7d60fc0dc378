"""PDF by LibreOffice (lib/pdf): a real conversion of the sample report, read back with poppler (pdfinfo, pdftotext,
pdftoppm). No database. Skipped, saying why, only when LibreOffice itself is missing (`make office` installs it)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.utils import translation

from dieuhanh.lib import pdf
from dieuhanh.lib.officialdoc_docx import render_docx
from dieuhanh.lib.tests.test_officialdoc_docx import sample_document

needs_office = pytest.mark.skipif(
    not pdf.libreoffice_available() or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) or poppler-utils is not installed: run `make office`",
)


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    data = pdf.docx_to_pdf(render_docx(sample_document()))
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(data)
    return path


def poppler(*args) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout


@needs_office
def test_it_converts_the_report_to_a_pdf_of_several_pages(converted):
    assert converted.read_bytes().startswith(b"%PDF")
    info = poppler("pdfinfo", str(converted))
    pages = int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 3  # two of the report (the table spills over) and one for each annex at least
    assert "(A4)" in info
    assert "Author:          SỞ KHOA HỌC VÀ CÔNG NGHỆ" in info


@needs_office
def test_the_pdf_holds_the_national_title_the_figures_and_the_page_numbers(converted):
    first = poppler("pdftotext", "-layout", "-f", "1", "-l", "1", str(converted), "-")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "Độc lập - Tự do - Hạnh phúc" in first
    assert "Số: 15/BC-SKHCN" in first
    assert "Tây Ninh, ngày 05 tháng 01 năm 2027" in first
    whole = poppler("pdftotext", "-layout", str(converted), "-")
    assert "1.762,38" in whole and "Nguyễn Văn An" in whole and "Phụ lục II" in whole
    # Page 1 carries no number; page 2 carries "2" alone on its first line, in the top margin.
    assert first.strip().splitlines()[0].strip() != "1"
    second = poppler("pdftotext", "-layout", "-f", "2", "-l", "2", str(converted), "-")
    assert second.strip().splitlines()[0].strip() == "2"


@needs_office
def test_the_fonts_are_times_new_roman_or_its_metric_twin(converted):
    fonts = poppler("pdffonts", str(converted))
    names = [line.split()[0] for line in fonts.splitlines()[2:] if line.strip()]
    assert names
    # Without Microsoft's fonts LibreOffice substitutes Liberation Serif, which has the same widths.
    assert all("TimesNewRoman" in n or "LiberationSerif" in n for n in names), names


@needs_office
def test_page_one_renders_to_png(converted, tmp_path):
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(converted), str(tmp_path / "page")],
                   check=True, timeout=60)
    pngs = list(tmp_path.glob("page*.png"))
    assert len(pngs) == 1
    data = pngs[0].read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 10_000


@needs_office
def test_a_conversion_beyond_its_timeout_is_stopped_with_a_message():
    with translation.override("vi"), pytest.raises(pdf.PdfUnavailable) as err:
        pdf.docx_to_pdf(render_docx(sample_document()), timeout=0.05)
    assert "Không tạo được PDF" in str(err.value) and "0.05" in str(err.value)


def test_without_libreoffice_it_says_so_in_vietnamese(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    assert not pdf.libreoffice_available()
    with translation.override("vi"), pytest.raises(pdf.PdfUnavailable) as err:
        pdf.docx_to_pdf(b"PK")
    assert str(err.value) == "Không tạo được PDF: máy chủ chưa cài LibreOffice (soffice)."
