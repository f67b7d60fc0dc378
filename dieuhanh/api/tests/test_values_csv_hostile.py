# ruff: noqa: F811 (the shared fixtures are imported, then asked for by name)
"""A CSV cell over the csv module's limit answers 400 in words, not the module's English; nothing is written."""

from dieuhanh.api.tests.test_values_write import CSV_HEADER, post, stored, writer_a  # noqa: F401 (fixture)

LONG = "x" * 131_073


def test_the_api_answers_a_cell_over_the_limit_in_words(writer_a):
    response = post(writer_a, CSV_HEADER + f"DT_VT,202603,XA-A,,,{LONG},,,,false\n", content_type="text/csv")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "E_CSV"
    assert body["message"] == "Dòng 2: có ô dài hơn 131.072 ký tự; một số liệu hay một mã ngắn hơn nhiều"
    assert stored() == {}
