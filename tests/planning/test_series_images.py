"""A series' image is shown on every date it writes."""

import datetime

import pytest

from planning.services import series_update
from tests.factories import ImageFactory
from tests.planning.test_services import create

pytestmark = pytest.mark.django_db


def test_series_image_on_every_date_and_replaced_on_update(network):
    first, second = ImageFactory(alt_text="Stammtisch im Hof"), ImageFactory(alt_text="Stammtisch im Saal")
    series, _change = create(network, first_date=datetime.date(2027, 1, 4), count=3, image=first)
    assert [sd.event.image for sd in series.dates.select_related("event__image")] == [first] * 3
    series.image = second
    _series, change = series_update(series=series)
    assert change.updated == 3
    assert [sd.event.image for sd in series.dates.select_related("event__image")] == [second] * 3
