"""Paraguay (PY@2026.1): Ley 7021/22; sizes of Ley 4457/12 (micro ≤ 10 workers, small ≤ 30,
medium ≤ 50; the turnover caps are not in the sources)."""

from __future__ import annotations

from decimal import Decimal

from . import GoalCase, ProvisionCase, ScaleCase

P = "PY"
SIZE = (
    "MIPYME: micro ≤ 10 workers, small ≤ 30, medium ≤ 50 (Ley 4457/12), each with a turnover cap."
)

SCALE = [
    ScaleCase(
        id="py-scale-micro-10",
        pack=P,
        rule="scale",
        law=SIZE,
        employees=10,
        turnover=None,
        expected="micro",
        shown="Micro: up to 10 workers",
    ),
    ScaleCase(
        id="py-scale-small-11",
        pack=P,
        rule="scale",
        law=SIZE,
        employees=11,
        turnover=None,
        expected="small",
        shown="small: up to 30",
    ),
    ScaleCase(
        id="py-scale-small-30",
        pack=P,
        rule="scale",
        law=SIZE,
        employees=30,
        turnover="1",
        expected="small",
        shown="small: up to 30",
    ),
    ScaleCase(
        id="py-scale-medium-31",
        pack=P,
        rule="scale",
        law=SIZE,
        employees=31,
        turnover=None,
        expected="medium",
        shown="medium: up to 50",
    ),
    ScaleCase(
        id="py-scale-medium-50",
        pack=P,
        rule="scale",
        law=SIZE,
        employees=50,
        turnover=None,
        expected="medium",
        shown="medium: up to 50",
    ),
    ScaleCase(
        id="py-scale-large-51",
        pack=P,
        rule="scale",
        law=SIZE,
        employees=51,
        turnover=None,
        expected="large",
        shown="above 50, large",
    ),
    ScaleCase(
        id="py-scale-no-workers",
        pack=P,
        rule="scale",
        law=SIZE,
        employees=None,
        turnover="1000",
        expected=None,
        shown="those caps are not part of this version",
    ),
]

GOALS = [
    GoalCase(
        id="py-reserve-20-in-5",
        pack=P,
        rule="reserve.annual",
        law="Annual MIPYME market reserve per entity, reaching 20% within 5 years, including through subcontracting.",
        group="msme",
        share=Decimal("0.20"),
        years=5,
        shown="reaching 20% within 5 years, including through subcontracting",
    ),
]

PROVISIONS = [
    ProvisionCase(
        id="py-accessible",
        pack=P,
        rule="accessible.flag",
        law='Tenders likely to be won by small firms are flagged and shown on an "accessible for MIPYMES" page.',
        basis="Ley 7021/22",
        shown="Tenders accessible for MIPYMES",
    ),
]
