"""Minting the Open Contracting ID (ocid) of a contracting process.

An ocid is `<PREGON_OCID_PREFIX>-<series><number>`: the instance's registered prefix, then the
internal number of the object that starts the process, at least six digits. Tenders start
theirs with no series (`ocds-pregon-000042`); a line of a procurement plan starts one in the
series `plan-` (`ocds-pregon-plan-000007`), so the two numberings never meet. A tender drafted
from a plan line takes the line's ocid, so one process runs from the plan to the contract
(ADR 0019).
"""

from __future__ import annotations

from django.conf import settings

#: The series of the processes started by a plan line.
PLAN_LINE_SERIES = "plan-"


def ocid_for(number: int, *, series: str = "") -> str:
    """The ocid of the process started by object `number` of `series` ("" for a tender)."""
    return f"{settings.PREGON_OCID_PREFIX}-{series}{number:06d}"
