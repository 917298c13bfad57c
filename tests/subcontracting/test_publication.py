"""What is published of subcontracts: each subcontract and payment republishes the contract's
process; the releases and the compiled record validate; the subcontractor is a party with the
role `subcontractor` and its scale; the share paid to MSMEs is exact."""

from __future__ import annotations

from decimal import Decimal

import orjson
import pytest

from pregon.core import clock
from pregon.publication import services as publication
from pregon.publication.models import Record, Release
from pregon.subcontracting import services
from tests.subcontracting.conftest import SubWorld

pytestmark = pytest.mark.django_db


def test_subcontracts_and_payments_are_published_with_the_contract(sub: SubWorld) -> None:
    ocid = sub.contract.tender.ocid
    before = Release.objects.filter(ocid=ocid).count()
    opportunity = sub.post(reserved="msme")
    answer = sub.answer(opportunity, sub.micro_actor, "23600")
    # Posting and answering publish nothing: sub-opportunities are not part of the release.
    assert Release.objects.filter(ocid=ocid).count() == before
    with clock.at(sub.at(6)):
        services.answer_pick(actor=sub.prime, answer=answer)
        services.subcontract_record(
            actor=sub.prime,
            contract=sub.contract,
            data=services.SubcontractData(
                description="Grúa", value=Decimal("10000"), subcontractor=sub.large
            ),
        )
        subcontract = sub.contract.subcontracts.get(number=1)
        services.subcontract_payment_record(
            actor=sub.prime,
            subcontract=subcontract,
            data=services.SubcontractPaymentData(
                amount=Decimal("11800"), paid_on=sub.contracts.date(6)
            ),
        )
    releases = [
        orjson.loads(data)
        for data in Release.objects.filter(ocid=ocid).order_by("seq").values_list("data", flat=True)
    ]
    assert len(releases) == before + 3
    assert [r["tag"] for r in releases[before:]] == [["implementation"]] * 3
    validator = publication.validator()
    for release in releases:
        assert validator.validate_release(release) == [], release["id"]
    last = releases[-1]
    (contract,) = last["contracts"]
    assert contract["id"] == sub.contract.ocds_id
    assert contract["awardID"]  # the contracts' own fields are still there, merged by id
    micro_party = f"{sub.micro.identifier_scheme}-{sub.micro.identifier_id}"
    assert contract["subcontracts"][0] == {
        "id": "subcontract-1",
        "description": "Instalación eléctrica de 3 oficinas",
        "subcontractor": {"id": micro_party, "name": "Electricidad Norte SpA"},
        "value": {"amount": 23600, "currency": "CLP"},
        "scale": "micro",
        "paid": {"amount": 11800, "currency": "CLP"},
        "payments": [
            {
                "id": "1",
                "date": contract["subcontracts"][0]["payments"][0]["date"],
                "value": {"amount": 11800, "currency": "CLP"},
            }
        ],
        "fromSubOpportunity": contract["subcontracts"][0]["fromSubOpportunity"],
    }
    assert contract["subcontracts"][0]["fromSubOpportunity"].endswith(
        f"/subcontracting/{opportunity.pk}/"
    )
    assert contract["subcontracts"][1]["scale"] == "large"
    assert contract["subcontracts"][1]["paid"] == {"amount": 0, "currency": "CLP"}
    # 11,800 paid to the micro firm of a contract of 118,000: a tenth; all that was paid.
    assert contract["msmeSubcontracting"] == {
        "paid": {"amount": 11800, "currency": "CLP"},
        "share": 0.1,
        "shareOfSubcontractPayments": 1,
    }
    parties = {p["id"]: p for p in last["parties"]}
    assert "subcontractor" in parties[micro_party]["roles"]
    assert parties[micro_party]["details"]["scale"] == "micro"
    record = Record.objects.get(ocid=ocid)
    assert validator.validate_release(record.compiled) == []
    assert record.compiled["contracts"][0]["msmeSubcontracting"]["share"] == 0.1
