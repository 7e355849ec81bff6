import datetime
import zoneinfo

import icalendar
import pytest
import vobject
from hypothesis import example, given
from hypothesis import strategies as st

from feeds.ical import FeedEvent, escape_text, fold, param_value, render_calendar
from netzwerktimer.text import normalise_text

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def unfold(text):
    return text.replace("\r\n ", "")


def event(**fields):
    defaults = {
        "id": 7,
        "title": "Fachforum",
        "url": "https://netzwerk-timer.de/events/7/fachforum/",
        "starts_at": datetime.datetime(2030, 7, 1, 14, 0, tzinfo=BERLIN),
        "ends_at": datetime.datetime(2030, 7, 1, 16, 0, tzinfo=BERLIN),
        "updated_at": datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
    }
    return FeedEvent(**(defaults | fields))


def test_escape_text_escapes_backslash_semicolon_comma_and_newlines():
    assert escape_text("a\\b;c,d\ne\r\nf\rg") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"


def test_escape_text_drops_control_characters_but_keeps_tab():
    assert escape_text("a\x00b\x1bc\td\x7f") == "abc\td"


def test_param_value_quotes_when_needed_and_never_holds_a_quote():
    assert param_value("KI-Netz") == "KI-Netz"
    assert param_value('Netz "A": Süd; e.V., Jena') == "\"Netz 'A': Süd; e.V., Jena\""
    assert param_value("a\r\nb") == "ab"
    assert param_value("Netz\\:Süd") == '"Netz/:Süd"'  # no escapes in parameters: parsers disagree on \\


def test_fold_keeps_a_line_of_exactly_75_octets():
    line = "X" * 75
    assert fold(line) == line


def test_fold_splits_ascii_at_75_octets_with_a_leading_space():
    line = "SUMMARY:" + "a" * 200
    folded = fold(line)
    parts = folded.split("\r\n")
    assert [len(p) for p in parts] == [75, 75, 60]
    assert all(p.startswith(" ") for p in parts[1:])
    assert unfold(folded) == line


def test_fold_never_splits_a_multibyte_character():
    # "SUMMARY:" is 8 octets; "€" is 3 octets, so octet 75 falls inside a character.
    line = "SUMMARY:" + "€" * 40
    parts = fold(line).encode().split(b"\r\n")
    assert [len(p) for p in parts] == [8 + 22 * 3, 1 + 18 * 3]
    for part in parts:
        part.decode("utf-8")
    assert unfold(fold(line)) == line


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_fold_roundtrips_any_text_within_75_octets(text):
    line = "DESCRIPTION:" + escape_text(text)
    folded = fold(line)
    assert unfold(folded) == line
    for part in folded.encode().split(b"\r\n"):
        assert len(part) <= 75
        part.decode("utf-8")


@given(st.text(max_size=200))
def test_escaped_text_can_never_start_a_new_line(text):
    line = "SUMMARY:" + escape_text(text)
    assert "\r" not in line and "\n" not in line


@given(
    title=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=120),
    description=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300),
    topic=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30),
)
@example(title=" ", description="", topic="0")  # found by hypothesis: an unquoted " " parameter came back empty
@example(title="\\", description="", topic="0")  # found by hypothesis: an unquoted backslash escaped the ":"
@example(title="\\:", description="", topic="0")  # found by hypothesis: icalendar reads a quoted \\: as :
@example(title="a\u2028X:1", description="b\u0085c", topic="d\u2029e")  # separators end lines for splitlines()
def test_render_calendar_roundtrips_any_text_through_icalendar(title, description, topic):
    body = render_calendar(
        [event(title=title, description=description.replace("<", " "), topics=[topic], organiser_name=title)],
        name=title,
    )
    calendar = icalendar.Calendar.from_ical(body)
    (vevent,) = calendar.walk("VEVENT")
    # Line and paragraph separators (U+2028, U+2029) are line feeds in TEXT and dropped from a parameter.
    assert str(vevent["SUMMARY"]) == normalise_text(title)
    assert vevent["CATEGORIES"].cats == [normalise_text(topic)]
    cn = title.replace("\u2028", "").replace("\u2029", "").replace('"', "'").replace("\\", "/")
    assert vevent["ORGANIZER"].params["CN"] == cn


def test_render_calendar_injection_attempt_stays_inside_its_value():
    evil = "Titel\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil"
    body = render_calendar(
        [event(title=evil, url="https://x.example/\r\nX-EVIL:1", organiser_name=evil, topics=[evil])], name=evil
    )
    lines = unfold(body.decode()).split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 1
    assert not [line for line in lines if line.startswith(("X-EVIL", "UID:evil"))]
    assert str(icalendar.Calendar.from_ical(body).walk("VEVENT")[0]["SUMMARY"]) == evil.replace("\r\n", "\n")


def test_render_calendar_all_day_event_has_exclusive_date_end():
    body = render_calendar(
        [
            event(
                is_all_day=True,
                starts_at=datetime.datetime(2030, 10, 26, tzinfo=BERLIN),
                ends_at=datetime.datetime(2030, 10, 28, tzinfo=BERLIN),
            )
        ],
        name="x",
    ).decode()
    assert "DTSTART;VALUE=DATE:20301026\r\nDTEND;VALUE=DATE:20301028\r\n" in body


def test_render_calendar_one_day_all_day_event_ends_the_next_day():
    body = render_calendar(
        [
            event(
                is_all_day=True,
                starts_at=datetime.datetime(2030, 3, 31, tzinfo=BERLIN),
                ends_at=datetime.datetime(2030, 4, 1, tzinfo=BERLIN),
            )
        ],
        name="x",
    ).decode()
    assert "DTSTART;VALUE=DATE:20300331\r\nDTEND;VALUE=DATE:20300401\r\n" in body


def test_render_calendar_timed_event_in_winter_and_summer_reads_the_same_in_vobject():
    winter = event(
        id=1,
        starts_at=datetime.datetime(2030, 1, 15, 9, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2030, 1, 15, 10, 0, tzinfo=datetime.UTC),
    )
    summer = event(
        id=2,
        starts_at=datetime.datetime(2030, 7, 15, 9, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2030, 7, 15, 10, 0, tzinfo=datetime.UTC),
    )
    body = render_calendar([winter, summer], name="x")
    assert b"DTSTART;TZID=Europe/Berlin:20300115T100000" in body
    assert b"DTSTART;TZID=Europe/Berlin:20300715T110000" in body
    calendar = vobject.readOne(body.decode())
    starts = [v.dtstart.value for v in calendar.vevent_list]
    assert [s.astimezone(datetime.UTC) for s in starts] == [winter.starts_at, summer.starts_at]


def test_render_calendar_without_events_is_still_a_valid_calendar():
    body = render_calendar([], name="Netzwerk-Timer")
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar.walk("VEVENT") == []
    assert [c.name for c in calendar.subcomponents] == ["VTIMEZONE"]
    assert vobject.readOne(body.decode()).vtimezone.tzid.value == "Europe/Berlin"


@pytest.mark.parametrize(
    ("fmt", "fields", "location"),
    [
        (
            "onsite",
            {"venue_name": "TGZ", "street": "Markt 1", "postcode": "07743", "city": "Jena"},
            "TGZ, Markt 1, 07743 Jena",
        ),
        ("online", {"online_url": "https://meet.example.org/x"}, "https://meet.example.org/x"),
        ("online", {}, "online"),
        ("hybrid", {"city": "Erfurt", "online_url": "https://m.example/x"}, "Erfurt und online: https://m.example/x"),
        ("onsite", {}, None),
    ],
)
def test_render_calendar_location(fmt, fields, location):
    calendar = icalendar.Calendar.from_ical(render_calendar([event(format=fmt, **fields)], name="x"))
    vevent = calendar.walk("VEVENT")[0]
    assert (str(vevent["LOCATION"]) if "LOCATION" in vevent else None) == location


def test_description_paragraphs_are_apart_by_a_blank_line():
    text = render_calendar(
        [event(description="<p>Erster Absatz.</p><p>Zweiter Absatz.</p><ul><li>Eins</li><li>Zwei</li></ul>")],
        name="Test",
    )

    description = next(line for line in unfold(text.decode()).split("\r\n") if line.startswith("DESCRIPTION:"))
    assert description == (
        "DESCRIPTION:Erster Absatz.\\n\\nZweiter Absatz.\\n\\nEins\\nZwei\\n\\n"
        "https://netzwerk-timer.de/events/7/fachforum/"
    )
