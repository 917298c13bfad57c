import pytest

from pregon.tenders.choices import TenderStatus
from tests import factories


@pytest.mark.django_db
def test_each_lifecycle_factory_reaches_its_state() -> None:
    assert factories.TenderDraftFactory().status == TenderStatus.DRAFT
    assert factories.TenderOpenFactory().status == TenderStatus.ACTIVE
    assert factories.TenderClosedFactory().status == TenderStatus.CLOSED
    assert factories.TenderCancelledFactory().status == TenderStatus.CANCELLED
