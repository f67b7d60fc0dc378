"""Demo form sections carry bare titles: the entry page and the XLSX number them (I, II, …), once."""

import re

from dieuhanh.demo.catalogue import FORMS

NUMERAL = re.compile(r"^\s*[IVXLC]+\s*[.)]")


def test_section_titles_do_not_number_themselves():
    titles = [title for spec in FORMS for title, _rows in spec["sections"]]
    assert titles
    assert [t for t in titles if NUMERAL.match(t)] == []
