"""The image of a session proposal is carried into the event made when it is accepted."""

import pytest

from campaigns.services import proposal_accept
from tests.factories import ImageFactory

pytestmark = pytest.mark.django_db


def test_proposal_accept_carries_image_into_event(campaign, propose):
    proposal = propose(title="Laser in der Medizin")
    proposal.image = ImageFactory(alt_text="Laserstrahl auf einer Linse")
    proposal.save(update_fields=["image"])
    event = proposal_accept(proposal=proposal)
    event.refresh_from_db()
    assert event.image == proposal.image
    assert event.image.alt_text == "Laserstrahl auf einer Linse"
