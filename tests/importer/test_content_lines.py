"""importer.content_lines splits a content line exactly as icalendar does: the same name, parameters
and value, or the same error, on every line of the real-world corpus and on generated lines (RFC 5545
3.1: name, parameters with quoted values, escapes, colons and semicolons in values)."""

from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from icalendar.parser.content_line import Contentline

from importer import content_lines
from importer.parse.repair import repair

CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpus" / "ics"


def _split(split, text, strict=False):
    line = Contentline(text, strict=strict)
    try:
        name, params, value = split(line)
    except ValueError as exc:
        return ("error", str(exc))
    return (name, dict(params), type(params), value)


def _same(text, strict=False):
    assert _split(content_lines.raw_parts, text, strict) == _split(content_lines.icalendar_raw_parts, text, strict)


def test_content_lines_is_what_icalendar_uses():
    assert Contentline.raw_parts is content_lines.raw_parts


def test_content_lines_split_every_corpus_line_as_icalendar():
    files = sorted(CORPUS.rglob("*.ics"))
    if not files:
        pytest.skip(f"{CORPUS} is absent")
    count = 0
    for path in files:
        text, _notes = repair(path.read_bytes())
        for line in text.split("\r\n"):
            if line:
                _same(line)
                count += 1
    assert count > 5000


@pytest.mark.parametrize(
    "line",
    [
        "SUMMARY:Fachforum: Wasserstoff; Teil 2",
        'ATTENDEE;CN="Müller, Jena: Optik";ROLE=REQ-PARTICIPANT:mailto:a@example.org',
        "DTSTART;TZID=Europe/Berlin:20261201T100000",
        "DTSTART;TZID=Europe/Berlin;VALUE=DATE-TIME:20261201T100000",
        "X-ALT-DESC;FMTTYPE=text/html:<p>a:b</p>",
        "DESCRIPTION;LANGUAGE=de:Zeile\\neins\\, zwei\\; drei",
        "SUMMARY;:leere Parameter",
        ";X=1:ohne Namen",
        ":nur ein Wert",
        "OHNE-DOPPELPUNKT",
        "SUM MARY:Leerzeichen im Namen",
        "SUMMARY ; LANGUAGE = de :Leerzeichen um Trennzeichen",
        "NAME\\;X:Backslash im Namen",
        'GEO;X="a;b":1;2',
        "UNGÜLTIG:Umlaut im Namen",
        "X-WR-CALNAME:Kalender",
    ],
)
@pytest.mark.parametrize("strict", [False, True])
def test_content_lines_split_tricky_lines_as_icalendar(line, strict):
    _same(line, strict)


_PIECES = st.sampled_from(
    ["SUMMARY", "DTSTART", "X-A", ";", ":", '"', "\\", ",", "=", " ", "\t", "TZID", "VALUE=DATE", "ä", "a", "1"]
)


@hypothesis_settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=20).map("".join), st.booleans())
def test_content_lines_split_generated_lines_as_icalendar(line, strict):
    _same(line, strict)
