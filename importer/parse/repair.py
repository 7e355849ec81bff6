"""An ICS body as text that icalendar can read: its encoding, its line ends, its folding.

Producers differ in all three. Windows and Outlook save "Unicode" files as UTF-16 with a byte-order
mark; Mozilla Calendar, Sunbird and old Thunderbird fold right after the property name, even with a
blank line before the continuation (`VERSION` CRLF CRLF space `:2.0`); some fold inside a UTF-8
character; some forget to fold a long description at all, or send bare VEVENTs without a VCALENDAR.
"""

import codecs
import re

from django.utils.translation import gettext_noop

from importer.messages import message

# Byte-order marks, longest first: UTF-32 LE starts with the UTF-16 LE mark.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)

# Where a new content line starts: RFC 5545 names are case-insensitive, so the known ones (RFC 5545,
# RFC 7986) and X- names match in any case; other names only in upper case, so that a line such as
# "Hinweis: Parken im Hof" in an unfolded description stays part of it.
_KNOWN_PROPERTIES = (
    "BEGIN|END|CALSCALE|METHOD|PRODID|VERSION|ATTACH|CATEGORIES|CLASS|COMMENT|DESCRIPTION|GEO|LOCATION|"
    "PERCENT-COMPLETE|PRIORITY|RESOURCES|STATUS|SUMMARY|COMPLETED|DTEND|DUE|DTSTART|DURATION|FREEBUSY|"
    "TRANSP|TZID|TZNAME|TZOFFSETFROM|TZOFFSETTO|TZURL|ATTENDEE|CONTACT|ORGANIZER|RECURRENCE-ID|"
    "RELATED-TO|URL|UID|EXDATE|EXRULE|RDATE|RRULE|ACTION|REPEAT|TRIGGER|CREATED|DTSTAMP|LAST-MODIFIED|"
    "SEQUENCE|REQUEST-STATUS|NAME|REFRESH-INTERVAL|SOURCE|COLOR|IMAGE|CONFERENCE"
)
_PROPERTY_START = re.compile(rf"^(?:(?i:(?:{_KNOWN_PROPERTIES})(?=[;:])|X-[A-Z0-9-]+)|[A-Z][A-Z0-9-]*)[;:]")
# A fold: a line end followed by a space or tab, also with blank lines between (Mozilla).
_FOLD = re.compile(r"(?:\r\n|\n|\r)+[ \t]")
_FOLD_BYTES = re.compile(rb"(?:\r\n|\n|\r)+[ \t]")
_BEGIN = re.compile(r"^BEGIN:(\S+)", re.IGNORECASE)


def decode(body):
    """(text, notes): the body as text, its folds undone. UTF-8 unless a byte-order mark or the
    pattern of NUL bytes says UTF-16 or UTF-32; Windows-1252 where UTF-8 fails."""
    if isinstance(body, str):
        return _FOLD.sub("", body.lstrip("\ufeff")), []
    for mark, codec, name in _BOMS:
        if body.startswith(mark):
            return _wide(body[len(mark) :], codec, name)
    body = body.removeprefix(codecs.BOM_UTF8)
    head = body[:200]
    if head[:8].count(b"\x00") >= 3:  # "B\0E\0G\0I\0…" without a mark
        codec = _wide_without_mark(head)
        if codec:
            return _wide(body, codec, "UTF-16" if "16" in codec else "UTF-32")
    # Undone as bytes, so that a fold inside a UTF-8 character joins the character again.
    body = _FOLD_BYTES.sub(b"", body)
    try:
        return body.decode("utf-8"), []
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace"), [
            message(gettext_noop("The file is not UTF-8; read as Windows-1252."))
        ]


def _wide_without_mark(head):
    for codec in ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"):
        try:
            if head[: len(head) // 4 * 4].decode(codec).lstrip().upper().startswith("BEGIN:"):
                return codec
        except UnicodeDecodeError:
            continue
    return ""


def _wide(body, codec, name):
    text = body.decode(codec, errors="replace")
    note = message(gettext_noop("The file is saved as {encoding}; read as such."), encoding=name)
    return _FOLD.sub("", text.lstrip("\ufeff")), [note]


def repair(body):
    """(text, notes): decoded, unfolded, blank lines dropped, lines broken without folding joined,
    bare components wrapped in a VCALENDAR; lines end in CRLF as RFC 5545 asks."""
    text, notes = decode(body)
    lines = []
    repaired_folding = False
    for line in re.split(r"\r\n|\n|\r", text):
        if not line.strip():
            continue
        if _PROPERTY_START.match(line) or not lines:
            lines.append(line)
        else:
            # A value with a raw line break: the publisher forgot to fold.
            lines.append(" " + line)
            repaired_folding = True
    if repaired_folding:
        notes.append(message(gettext_noop("Lines broken without folding were joined.")))
    first = _BEGIN.match(lines[0]) if lines else None
    if first and first.group(1).upper() != "VCALENDAR" and any(_is_begin_vevent(line) for line in lines):
        # A body of bare VEVENTs (a web page's export, some CMS): one calendar around them.
        lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//unknown//", *lines, "END:VCALENDAR"]
        notes.append(
            message(gettext_noop("The file has events without a VCALENDAR around them; read as one calendar."))
        )
    return "\r\n".join(lines) + "\r\n", notes


def _is_begin_vevent(line):
    return line[:12].upper() == "BEGIN:VEVENT"


def looks_like_ics(body):
    """Whether a body is worth handing to the ICS reader: it starts with BEGIN:VCALENDAR or with bare
    components among which is a VEVENT, in any of the encodings `decode` reads."""
    text, _notes = decode(body[:65536] if isinstance(body, bytes) else body[:65536])
    head = text.lstrip(" \t\r\n").upper()
    return head.startswith("BEGIN:VCALENDAR") or (head.startswith("BEGIN:V") and "BEGIN:VEVENT" in head)
