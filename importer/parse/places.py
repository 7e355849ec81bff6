"""Place and description heuristics shared by the ICS and JSON-LD readers."""

import html
import re

from events.sanitize import http_url, sanitize_html
from importer.parse.result import MAX_DESCRIPTION

_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
MEETING_URL = re.compile(
    r"https://(?:teams\.microsoft\.com|teams\.live\.com|[\w.-]*zoom\.us|[\w.-]*webex\.com|meet\.google\.com|"
    r"meet\.jit\.si|[\w.-]*gotomeeting\.com)/[^\s<>\"']*",
    re.IGNORECASE,
)
_HTML_TAG = re.compile(r"<(p|br|a|b|strong|i|em|ul|ol|li|div|span|h\d)\b[^>]*>", re.IGNORECASE)
_POSTCODE_CITY = re.compile(r"^(?:D-?\s?)?(\d{5})\s+(.+)$")
_ONLINE_WORDS = ("online", "virtuell", "webinar", "microsoft teams", "teams", "zoom", "webex", "livestream")

CITY_REGIONS = {
    "erfurt": "erfurt",
    "jena": "jena",
    "gera": "gera",
    "suhl": "suhl",
    "weimar": "weimar",
    "eisenach": "wartburgkreis",
    "bad salzungen": "wartburgkreis",
    "ilmenau": "ilm-kreis",
    "arnstadt": "ilm-kreis",
    "gotha": "gotha",
    "nordhausen": "nordhausen",
    "mühlhausen": "unstrut-hainich-kreis",
    "bad langensalza": "unstrut-hainich-kreis",
    "sonneberg": "sonneberg",
    "sömmerda": "soemmerda",
    "rudolstadt": "saalfeld-rudolstadt",
    "saalfeld": "saalfeld-rudolstadt",
    "meiningen": "schmalkalden-meiningen",
    "schmalkalden": "schmalkalden-meiningen",
    "zella-mehlis": "schmalkalden-meiningen",
    "altenburg": "altenburger-land",
    "greiz": "greiz",
    "hildburghausen": "hildburghausen",
    "heilbad heiligenstadt": "eichsfeld",
    "leinefelde-worbis": "eichsfeld",
    "sondershausen": "kyffhaeuserkreis",
    "apolda": "weimarer-land",
    "pößneck": "saale-orla-kreis",
    "schleiz": "saale-orla-kreis",
    "eisenberg": "saale-holzland-kreis",
    "hermsdorf": "saale-holzland-kreis",
    "stadtroda": "saale-holzland-kreis",
}


def description_html(text, *, is_html=False):
    """Plain text from a feed becomes escaped paragraphs with links; HTML is sanitised."""
    text = (text or "").strip()[:MAX_DESCRIPTION]
    if not text:
        return ""
    if is_html or _HTML_TAG.search(text):
        return sanitize_html(text)
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        escaped = html.escape(block.strip(), quote=False)
        linked = _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
        if linked:
            paragraphs.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return sanitize_html("".join(paragraphs))


def region_for_city(city):
    return CITY_REGIONS.get((city or "").strip().casefold(), "")


def parse_location(text):
    """Split "Venue, Street 1, 07745 Jena" into parts; recognise online locations."""
    result = {"venue_name": "", "street": "", "postcode": "", "city": "", "online_url": "", "online": False}
    text = (text or "").strip()
    if not text:
        return result
    if http_url(text):
        result["online_url"] = text
        result["online"] = True
        return result
    if text.casefold().startswith(_ONLINE_WORDS):
        result["online"] = True
        url = _URL.search(text)
        result["online_url"] = http_url(url.group(0)) if url else ""
        return result
    parts = [p.strip() for p in re.split(r"[,;\n]", text) if p.strip()]
    for index, part in enumerate(parts):
        match = _POSTCODE_CITY.match(part)
        if match:
            result["postcode"], result["city"] = match.group(1), match.group(2).strip()[:100]
            before = parts[:index]
            if before and re.search(r"\d", before[-1]):
                result["street"] = before.pop()[:200]
            result["venue_name"] = ", ".join(before)[:200]
            return result
    if len(parts) == 1 and region_for_city(parts[0]):
        result["city"] = parts[0][:100]
    else:
        result["venue_name"] = text.replace("\n", ", ")[:200]
    return result


def format_for(location, online_url):
    physical = bool(location["city"] or location["street"] or location["venue_name"] or location["postcode"])
    online = bool(online_url or location["online"])
    if physical and online:
        return "hybrid"
    if online:
        return "online"
    if physical:
        return "onsite"
    return ""
