"""The demo's reports: the 2020 year-end review of the old Tây Ninh's ICT sector prints the article's figures, the
2026 review of the new province is there, each with its document, once."""

import io
import time

import docx
import pytest

from dieuhanh.demo.build import demo_build
from dieuhanh.demo.reports import reports_demo_ensure
from dieuhanh.reports.models import ReportDocument

pytestmark = pytest.mark.django_db


def test_the_2020_review_prints_the_articles_figures_and_a_second_run_adds_nothing():
    result = demo_build(small=True)
    started = time.monotonic()
    review_2020, review_2026 = reports_demo_ensure(result)
    elapsed = time.monotonic() - started
    document = review_2020.documents.get()
    assert document.status == ReportDocument.Status.DONE
    shown = " | ".join(document.figures.values())
    for printed in ("95,5", "1.762,38", "377", "27,3"):
        assert printed in shown, (printed, shown)
    assert document.figures["DT_BC.value"] == "95,5 tỷ đồng"
    assert document.figures["DT_VT.value"] == "1.762,38 tỷ đồng"
    written = docx.Document(io.BytesIO(bytes(document.docx)))
    text = "\n".join([p.text for p in written.paragraphs]
                     + [c.text for t in written.tables for r in t.rows for c in r.cells])
    assert "Năm 2020, doanh thu bưu chính đạt 95,5 tỷ đồng" in text
    # The review's commendations are the register's (the article: the department's Giấy khen to 9 collectives and
    # 12 individuals, and the Chairman's Bằng khen).
    assert ("Chủ tịch UBND tỉnh tặng Bằng khen cho 1 tập thể và 2 cá nhân; Giám đốc Sở tặng Giấy khen cho 9 tập thể "
            "và 12 cá nhân.") in text
    assert "Tây Ninh, ngày 15 tháng 01 năm 2021" in text and "Số: 05/BC-STTTT" in text
    assert review_2020.number == "05/BC-STTTT" and review_2020.issuer.code == "TN72-STTTT"
    assert review_2026.issuer.code == "SKHCN" and review_2026.subject == result.units.province
    assert review_2026.documents.get().status == ReportDocument.Status.DONE
    print(f"demo reports generated in {elapsed:.1f} s")

    reports_demo_ensure(result)
    assert ReportDocument.objects.count() == 2
