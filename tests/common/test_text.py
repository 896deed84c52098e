import pytest
from django.core.exceptions import ValidationError

from common.text import csv_cell, header_text, no_control_characters, search_text


def test_header_text_removes_line_breaks_and_controls():
    assert header_text("Visit\r\nBcc: x@example.org\x00 moved") == "Visit Bcc: x@example.org moved"


def test_header_text_cuts_to_max_length():
    assert header_text("a" * 500, max_length=10) == "a" * 10


def test_search_text_drops_nul():
    assert search_text("Ana\x00 Ruiz ") == "Ana Ruiz"


@pytest.mark.parametrize("value", ["Line\nbreak", "carriage\rreturn", "nul\x00", "del\x7f"])
def test_no_control_characters_refuses(value):
    with pytest.raises(ValidationError) as error:
        no_control_characters(value)
    assert error.value.code == "control_characters"


def test_no_control_characters_accepts_plain_text_and_tab_free_unicode():
    no_control_characters("Copenhagen Cleantech Cluster – Søborg")


@pytest.mark.parametrize("value", ["=SUM(A1)", "+1", "-1", "@cmd", "\tx"])
def test_csv_cell_quotes_formulas(value):
    assert csv_cell(value) == "'" + value


def test_csv_cell_leaves_text_and_none():
    assert csv_cell("Denmark") == "Denmark"
    assert csv_cell(None) == ""
