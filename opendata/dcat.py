"""The DCAT-AP.de description of the open data: a catalogue with one dataset and its two distributions.

JSON-LD with its context written inline, so that a harvester (and pyld) reads it without
fetching anything. Vocabularies: the EU's data themes, file types and frequencies, IANA's
media types and DCAT-AP.de's licence list.
"""

import dataclasses
import re

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from netzwerktimer.links import absolute_url

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatde": "http://dcat-ap.de/def/dcatde/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"


@dataclasses.dataclass(frozen=True)
class Distribution:
    key: str
    url_name: str
    title: str
    format_label: str
    file_type: str  # the EU file-type code
    media_type: str

    @property
    def path(self):
        return reverse(self.url_name)

    @property
    def url(self):
        return absolute_url(self.path)


DISTRIBUTIONS = (
    Distribution(
        "jsonld",
        "opendata:events_jsonld",
        _("Upcoming events as schema.org JSON-LD"),
        "JSON-LD (schema.org)",
        "JSON_LD",
        "application/ld+json",
    ),
    Distribution("csv", "opendata:events_csv", _("Upcoming events as CSV"), "CSV", "CSV", "text/csv"),
)

# Licence deeds (their address without language or "deed" part) and DCAT-AP.de's IRIs for them.
LICENCE_IRIS = {
    "creativecommons.org/licenses/by/4.0": "http://dcat-ap.de/def/licenses/cc-by/4.0",
    "creativecommons.org/licenses/by-sa/4.0": "http://dcat-ap.de/def/licenses/cc-by-sa/4.0",
    "creativecommons.org/publicdomain/zero/1.0": "http://dcat-ap.de/def/licenses/cc-zero",
    "www.govdata.de/dl-de/by-2-0": "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
    "www.govdata.de/dl-de/zero-2-0": "http://dcat-ap.de/def/licenses/dl-zero-de/2.0",
}
_DEED = re.compile(r"^https?://|/(deed|legalcode)(\.[a-z-]+)?$|/$", re.IGNORECASE)


def licence_iri(url):
    """DCAT-AP.de's IRI of a licence deed's address; any other address as it is."""
    key = _DEED.sub("", url.strip())
    key = _DEED.sub("", key)
    return LICENCE_IRIS.get(key.lower(), url)


def _texts(message):
    """A translatable text in German and English, as language-tagged JSON-LD values."""
    values = []
    for code in ("de", "en"):
        with translation.override(code):
            values.append({"@value": str(message), "@language": code})
    return values


def _iri(value):
    return {"@id": value}


def dcat_document(*, last_modified):
    """The catalogue as a JSON-LD dict; last_modified: the latest change of an event in the data."""
    page = absolute_url(reverse("opendata:page"))
    licence = _iri(licence_iri(settings.OPENDATA_LICENCE_URL))
    publisher = {
        "@id": page + "#publisher",
        "@type": "foaf:Organization",
        "foaf:name": settings.OPENDATA_PUBLISHER,
        "foaf:homepage": _iri(absolute_url("/")),
    }
    # Without events there is no change to name (and "now" would differ on every request).
    modified = (
        {"@value": timezone.localtime(last_modified).isoformat(), "@type": "xsd:dateTime"} if last_modified else None
    )
    dataset = {
        "@id": page + "#events",
        "@type": "dcat:Dataset",
        "dct:identifier": page + "#events",
        "dct:title": _texts(_("Upcoming events of the Thuringian business networks")),
        "dct:description": _texts(
            _(
                "The published events of the networks of the Cross-Cluster-Initiative Thüringen and other "
                "Thuringian business networks that have not ended yet: conferences, workshops, online seminars "
                "and network meetings, with time, place, organisers, registration and accessibility."
            )
        ),
        "dct:publisher": _iri(publisher["@id"]),
        "dct:license": licence,
        "dcatde:licenseAttributionByText": settings.OPENDATA_ATTRIBUTION,
        "dct:modified": modified,
        "dct:language": _iri(EU + "language/DEU"),
        "dct:spatial": _iri("http://dcat-ap.de/def/politicalGeocoding/stateKey/16"),
        "dct:accrualPeriodicity": _iri(EU + "frequency/CONT"),
        "dcat:theme": [_iri(EU + "data-theme/ECON"), _iri(EU + "data-theme/EDUC")],
        "dcat:keyword": ["Veranstaltungen", "Termine", "Netzwerke", "Cluster", "Thüringen", "Wirtschaft"],
        "dcat:landingPage": _iri(page),
        "dcat:distribution": [_iri(f"{page}#{d.key}") for d in DISTRIBUTIONS],
    }
    if settings.OPENDATA_CONTACT_EMAIL:
        dataset["dcat:contactPoint"] = {
            "@type": "vcard:Organization",
            "vcard:fn": settings.OPENDATA_PUBLISHER,
            "vcard:hasEmail": _iri("mailto:" + settings.OPENDATA_CONTACT_EMAIL),
        }
    distributions = [
        {
            "@id": f"{page}#{d.key}",
            "@type": "dcat:Distribution",
            "dct:title": _texts(d.title),
            "dcat:accessURL": _iri(d.url),
            "dcat:downloadURL": _iri(d.url),
            "dct:format": _iri(EU + "file-type/" + d.file_type),
            "dcat:mediaType": _iri(IANA + d.media_type),
            "dct:license": licence,
            "dcatde:licenseAttributionByText": settings.OPENDATA_ATTRIBUTION,
            "dct:modified": modified,
        }
        for d in DISTRIBUTIONS
    ]
    catalog = {
        "@id": page + "#catalog",
        "@type": "dcat:Catalog",
        "dct:title": _texts(_("Netzwerk-Timer Thüringen: open data")),
        "dct:description": _texts(_("Open data of the shared event calendar of the Thuringian business networks.")),
        "dct:publisher": _iri(publisher["@id"]),
        "dct:license": licence,
        "dct:modified": modified,
        "foaf:homepage": _iri(page),
        "dcat:dataset": [_iri(dataset["@id"])],
    }
    graph = [catalog, dataset, *distributions, publisher]
    if modified is None:
        for node in graph:
            node.pop("dct:modified", None)
    return {"@context": CONTEXT, "@graph": graph}
