"""Random and mutated feeds never make the importer's parsers raise anything but ParseError."""

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from events.models import Event
from importer.messages import in_english
from importer.models import FeedSource, ImportRun
from importer.parse import ParseError, ParseResult, parse_ics, parse_jsonld
from importer.services import source_import
from tests import factories
from tests.importer.feeds import simple_feed

RICH_FEED = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//DE\r\nX-WR-TIMEZONE:Europe/Berlin\r\n"
    "BEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\nBEGIN:STANDARD\r\nDTSTART:16010101T030000\r\n"
    "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\n"
    "BEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\nUID:serie@example.org\r\nSUMMARY:Arbeitskreis Sensorik\r\n"
    "DTSTART;TZID=W. Europe Standard Time:20270105T100000\r\nDURATION:PT2H\r\n"
    "RRULE:FREQ=WEEKLY;COUNT=6\r\nEXDATE;TZID=W. Europe Standard Time:20270112T100000\r\n"
    "DESCRIPTION:Treffen <b>mit</b> Gästen\\, Ort folgt\r\nLOCATION:Jena\\, Hörsaal 1\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:serie@example.org\r\nRECURRENCE-ID;TZID=W. Europe Standard Time:20270119T100000\r\n"
    "SUMMARY:Arbeitskreis Sensorik (verschoben)\r\nDTSTART;TZID=W. Europe Standard Time:20270120T140000\r\n"
    "DTEND;TZID=W. Europe Standard Time:20270120T160000\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:ganztag@example.org\r\nSUMMARY:Messe\r\nDTSTART;VALUE=DATE:20270301\r\n"
    "DTEND;VALUE=DATE:20270304\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
SEEDS = [RICH_FEED, simple_feed(3).decode()]
FRAGMENTS = [
    "BEGIN:VEVENT\r\n",
    "END:VEVENT\r\n",
    "END:VCALENDAR\r\n",
    "BEGIN:VTIMEZONE\r\n",
    "DTSTART:",
    "DTEND:",
    "RRULE:FREQ=DAILY;INTERVAL=0\r\n",
    "RRULE:FREQ=SECONDLY\r\n",
    "TZID=Customized Time Zone:",
    ";VALUE=DATE:",
    "DURATION:P-1D\r\n",
    "\r\n ",
    "\ufeff",
    "\x00",
    "99999999T999999",
    "RECURRENCE-ID:",
    "EXDATE:",
    ":",
    ";",
    "\n",
]


@st.composite
def mutated_feeds(draw):
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(text)))
        operation = draw(st.sampled_from(["delete", "insert", "fragment", "duplicate", "truncate"]))
        if operation == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 40)) :]
        elif operation == "insert":
            text = text[:position] + draw(st.text(max_size=20)) + text[position:]
        elif operation == "fragment":
            text = text[:position] + draw(st.sampled_from(FRAGMENTS)) + text[position:]
        elif operation == "duplicate":
            end = min(len(text), position + draw(st.integers(1, 200)))
            text = text[:end] + text[position:end] + text[end:]
        else:
            text = text[:position]
    encoding = draw(st.sampled_from(["utf-8", "latin-1", "utf-16"]))
    return text.encode(encoding, errors="replace")


def check_parser(parser, body):
    try:
        result = parser(body)
    except ParseError as error:
        assert str(error)
    else:
        assert isinstance(result, ParseResult)


@settings(max_examples=300, deadline=None)
@given(body=mutated_feeds())
def test_parse_ics_survives_mutated_feeds(body):
    check_parser(parse_ics, body)


@settings(max_examples=150, deadline=None)
@given(
    body=st.one_of(st.binary(max_size=400), st.text(max_size=400).map(lambda t: ("BEGIN:VCALENDAR\r\n" + t).encode()))
)
def test_parse_ics_survives_random_bytes(body):
    check_parser(parse_ics, body)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "@type",
                    "@context",
                    "@graph",
                    "name",
                    "startDate",
                    "endDate",
                    "location",
                    "url",
                    "eventStatus",
                    "eventAttendanceMode",
                    "description",
                    "address",
                    "organizer",
                ]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(data=JSON_VALUES, event_type=st.sampled_from(["Event", "BusinessEvent", "Thing", ["Event"]]))
def test_parse_jsonld_survives_random_structures(data, event_type):
    import json

    document = {"@context": "https://schema.org", "@type": event_type}
    if isinstance(data, dict):
        document.update(data)
    html = f'<html><script type="application/ld+json">{json.dumps(document)}</script></html>'.encode()
    check_parser(parse_jsonld, html)


def _with(text, before="Veranstaltung 1"):
    """simple_feed(2) with text inserted into the second title (as the fuzzer once did)."""
    return simple_feed(2).replace(before.encode(), before.encode() + text.encode())


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=mutated_feeds())
# Every class of input the fuzzer found, explicitly, so that CI cannot pass by luck.
@example(body=_with("\x00"))
@example(body=_with("\x00", before="Wildenbruchstra"))
@example(body=_with("\u2028X-INJECTED:1\u2029\u0085"))
@example(body=_with("\x0b\x0c\x1c\x1d\x1e\x7f\x85\x9f"))
@example(body=_with("\x00").decode().encode("utf-16"))
# A NUL in a title that a warning quotes: the warnings are stored in a jsonb column.
@example(body=_with("\x00").replace(b"T110000\r\nLOCATION", b"T100000\r\nLOCATION"))
def test_import_of_mutated_feed_records_a_run_and_loses_nothing(body):
    network = factories.NetworkFactory()
    source = FeedSource.objects.create(network=network, name="Fuzz", url=f"https://example.org/{network.slug}.ics")
    source_import(source=source, body=simple_feed(2))
    before = sorted(Event.objects.filter(source=source).values_list("pk", "title", "starts_at"))
    run = source_import(source=source, body=body, force=True)
    assert run.outcome in (ImportRun.Outcome.SUCCESS, ImportRun.Outcome.FAILED)
    assert run.failure_kind != ImportRun.FailureKind.INTERNAL, in_english(run.message)
    if run.outcome == ImportRun.Outcome.FAILED:
        assert run.message
        assert sorted(Event.objects.filter(source=source).values_list("pk", "title", "starts_at")) == before
    assert Event.objects.filter(source=source).count() >= len(before)
