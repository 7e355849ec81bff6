import pytest

from netzwerktimer.text import has_unpaired_surrogate, normalise_line, normalise_text, spreadsheet_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Zeile 1\r\nZeile 2", "Zeile 1\nZeile 2"),
        ("alt\rneu", "alt\nneu"),
        ("a\u2028b\u2029c\u0085d", "a\nb\nc\nd"),
        ("a\x0bb\x0cc\x1cd", "a\nb\nc\nd"),
        ("N\x00U\x01L\x1f\x7f\x9f", "NUL"),
        ("Tab\tbleibt\nZeile", "Tab\tbleibt\nZeile"),
        ("F&E <Forschung> „Zukunft“ 🚀 äöüß", "F&E <Forschung> „Zukunft“ 🚀 äöüß"),
        ("kaputt \ud800 Hälfte", "kaputt \ufffd Hälfte"),
    ],
)
def test_normalise_text_keeps_words_and_removes_controls(raw, expected):
    assert normalise_text(raw) == expected


def test_normalise_text_result_splits_only_at_line_feeds():
    text = normalise_text("a\u2028b\x1dc\x1ed\r\ne")
    assert text.splitlines() == text.split("\n") == ["a", "b", "c", "d", "e"]


def test_normalise_text_leaves_no_control_line_end_or_surrogate_of_any_code_point():
    # Every character alone between letters, through the quick check that lets most text pass as it is.
    for code in [*range(0x3000), *range(0xD800, 0xE000)]:
        text = normalise_text(f"a{chr(code)}b")
        assert text.splitlines() == text.split("\n"), hex(code)
        assert not any(
            (ord(char) < 0x20 and char not in "\t\n") or 0x7F <= ord(char) <= 0x9F or 0xD800 <= ord(char) <= 0xDFFF
            for char in text
        ), hex(code)


def test_normalise_line_makes_one_line():
    assert normalise_line("  Forum\r\nDigital \u2028 Thüringen\t ") == "Forum Digital Thüringen"


@pytest.mark.parametrize("empty", ["", None])
def test_normalise_keeps_empty_values(empty):
    assert normalise_text(empty) == empty
    assert normalise_line(empty) == empty


def test_has_unpaired_surrogate():
    assert has_unpaired_surrogate("a\udc00")
    assert not has_unpaired_surrogate("a😀")
    assert not has_unpaired_surrogate("")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+49 361 1234", "'+49 361 1234"),
        ("-2", "'-2"),
        ("@SUMME(A1)", "'@SUMME(A1)"),
        ("\tTab", "'\tTab"),
        ("Größe = 3", "Größe = 3"),
        ("", ""),
        (42, 42),
    ],
)
def test_spreadsheet_text_writes_formula_starts_as_text(value, expected):
    assert spreadsheet_text(value) == expected
