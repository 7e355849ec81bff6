"""JSON-LD documents in one canonical form, through a JSON-LD 1.1 processor (pyld).

Whatever a producer writes — schema.org's plain keys, compact IRIs with a prefix context (ThüCAT:
`schema:name`), `@vocab`, `http` or `https` schema.org, value objects, language maps, `@graph` with
`@id` references — is expanded and flattened into nodes whose properties are full schema.org IRIs
(always `http://schema.org/…`). No context is ever fetched: schema.org's is known here, any other
remote context is refused with a warning and the document read with schema.org as vocabulary.
"""

import re
import urllib.parse

from cachetools import LRUCache
from django.utils.translation import gettext_noop
from pyld import jsonld
from pyld.context_resolver import ContextResolver

from importer.messages import message
from netzwerktimer.text import normalise_text

SCHEMA = "http://schema.org/"
_SCHEMA_HTTPS = "https://schema.org/"
# What schema.org's own context says that matters for reading: its vocabulary and its prefix.
SCHEMA_CONTEXT = {"@vocab": SCHEMA, "schema": SCHEMA}
_SCHEMA_CONTEXT_PATHS = ("", "/", "/docs/jsonldcontext.json", "/docs/jsonldcontext.jsonld")
MAX_REFUSED_NAMED = 5


class ContextRefused(Exception):
    pass


def _is_schema_context(url):
    parts = urllib.parse.urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    return parts.scheme.lower() in ("http", "https") and host == "schema.org" and parts.path in _SCHEMA_CONTEXT_PATHS


def _load_document(url, options=None):
    """pyld's document loader: schema.org's context from here; every other address unread (an empty
    context, so that schema.org stays the vocabulary). Nothing goes over the network."""
    context = SCHEMA_CONTEXT if _is_schema_context(url) else {}
    return {"contextUrl": None, "documentUrl": url, "document": {"@context": context}}


# Contexts resolved once per process: the loader answers the same for the same address.
_RESOLVER_CACHE = LRUCache(maxsize=100)


def remote_contexts(data):
    """The addresses of the remote contexts a document names (in `@context` and `@import`), in order."""
    found = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            for key, value in item.items():
                if key in ("@context", "@import"):
                    for entry in value if isinstance(value, list) else [value]:
                        if isinstance(entry, str) and entry not in found:
                            found.append(entry)
                        elif isinstance(entry, dict):
                            stack.append(entry)
                elif isinstance(value, dict | list):
                    stack.append(value)
    return found


def canonical_nodes(data, warnings):
    """The nodes of one JSON-LD document, expanded and flattened: {id: node}. Property keys and types
    are full IRIs, schema.org's in its `http` form; values are lists of value objects and references."""
    refused = [url for url in remote_contexts(data) if not _is_schema_context(url)]
    if refused:
        warnings.append(
            message(
                gettext_noop(
                    "The JSON-LD context {urls} is not loaded (only schema.org's is known here); the document "
                    "was read with schema.org as its vocabulary."
                ),
                urls=", ".join(refused[:MAX_REFUSED_NAMED]),
            )
        )
    options = {
        "expandContext": SCHEMA_CONTEXT,
        "documentLoader": _load_document,
        "contextResolver": ContextResolver(_RESOLVER_CACHE, _load_document),
        "base": "",
    }
    flat = jsonld.flatten(jsonld.expand(_normalised(data), options), None, options)
    nodes = {}
    for node in flat if isinstance(flat, list) else []:
        node = _https_to_http(node)
        nodes[node.get("@id", f"_:n{len(nodes)}")] = node
    return nodes


def _normalised(value):
    """Every string as text enters the system (netzwerktimer.text): JSON may escape any code point,
    "\\u0000", a lone surrogate or U+2028, and neither the processor nor the database takes them all."""
    if isinstance(value, str):
        return normalise_text(value)
    if isinstance(value, list):
        return [_normalised(item) for item in value]
    if isinstance(value, dict):
        return {normalise_text(key): _normalised(item) for key, item in value.items()}
    return value


def _https_to_http(value):
    """schema.org is read in one spelling: `https://schema.org/x` as `http://schema.org/x`."""
    if isinstance(value, str):
        return SCHEMA + value[len(_SCHEMA_HTTPS) :] if value.startswith(_SCHEMA_HTTPS) else value
    if isinstance(value, list):
        return [_https_to_http(item) for item in value]
    if isinstance(value, dict):
        return {_https_to_http(key): (item if key == "@value" else _https_to_http(item)) for key, item in value.items()}
    return value


def local_name(iri):
    """The last segment of an IRI or a term: `http://schema.org/EventCancelled` → `EventCancelled`."""
    return re.split(r"[/#:]", str(iri).rstrip("/"))[-1]


class Node:
    """One flattened node, read with schema.org's vocabulary; references resolve through `nodes`."""

    def __init__(self, data, nodes):
        self.data = data
        self.nodes = nodes

    @property
    def id(self):
        node_id = self.data.get("@id", "")
        return "" if node_id.startswith("_:") else node_id

    @property
    def types(self):
        return [local_name(kind) for kind in self.data.get("@type", [])]

    def values(self, name):
        return self.data.get(SCHEMA + name, [])

    def nodes_of(self, name):
        """The values of a property that are nodes (references resolved), in order."""
        found = []
        for value in self.values(name):
            if isinstance(value, dict) and "@id" in value and "@value" not in value:
                target = self.nodes.get(value["@id"])
                found.append(Node(target if target is not None else {"@id": value["@id"]}, self.nodes))
        return found

    def text(self, name):
        """The best literal of a property: German, then untagged, then English, then any language."""
        literals = [value for value in self.values(name) if isinstance(value, dict) and "@value" in value]
        if not literals:
            return ""
        return str(min(literals, key=lambda value: _language_rank(value.get("@language", "")))["@value"]).strip()

    def texts(self, name):
        return [
            str(value["@value"]).strip() for value in self.values(name) if isinstance(value, dict) and "@value" in value
        ]

    def iri_or_text(self, name):
        """A value that may be written as a reference or as text (eventStatus, url, byDay…)."""
        for value in self.values(name):
            if isinstance(value, dict):
                if "@value" in value:
                    return str(value["@value"]).strip()
                if "@id" in value and not value["@id"].startswith("_:"):
                    return value["@id"]
        return ""

    def iris_or_texts(self, name):
        found = []
        for value in self.values(name):
            if isinstance(value, dict):
                if "@value" in value:
                    found.append(str(value["@value"]).strip())
                elif "@id" in value and not value["@id"].startswith("_:"):
                    found.append(value["@id"])
        return found


def _language_rank(language):
    language = language.lower()
    if language == "de" or language.startswith("de-"):
        return 0
    if not language:
        return 1
    if language == "en" or language.startswith("en-"):
        return 2
    return 3
