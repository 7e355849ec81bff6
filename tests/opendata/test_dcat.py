import pytest

from opendata.dcat import licence_iri


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://creativecommons.org/licenses/by/4.0/deed.de", "http://dcat-ap.de/def/licenses/cc-by/4.0"),
        ("https://creativecommons.org/licenses/by/4.0/", "http://dcat-ap.de/def/licenses/cc-by/4.0"),
        ("http://creativecommons.org/licenses/by/4.0/legalcode.de", "http://dcat-ap.de/def/licenses/cc-by/4.0"),
        ("https://creativecommons.org/licenses/by-sa/4.0/deed.en", "http://dcat-ap.de/def/licenses/cc-by-sa/4.0"),
        ("https://creativecommons.org/publicdomain/zero/1.0/deed.de", "http://dcat-ap.de/def/licenses/cc-zero"),
        ("https://www.govdata.de/dl-de/by-2-0", "http://dcat-ap.de/def/licenses/dl-by-de/2.0"),
        ("https://example.org/unsere-lizenz", "https://example.org/unsere-lizenz"),
    ],
)
def test_licence_iri_names_dcat_ap_de_licences(url, expected):
    assert licence_iri(url) == expected
