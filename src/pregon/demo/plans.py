"""The demo's procurement plans: three buyers publish their plans for next year, some weeks
before the first tender of the demo (its releases are published in time order).

A visitor finds the lines on the "Coming soon" page (/<lang>/plans/), by code and by region,
each one an OCDS `planning` release of its own process. Valparaíso withdraws one line after
publishing it, so a `planningUpdate` with its reason is there to read too. Codes are real CPV
2008 and UNSPSC codes; values are in each buyer's currency.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from pregon.accounts.models import User
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.procurement import Category, ContentLanguage, Method
from pregon.demo.moments import local_moment
from pregon.demo.organizations import BUYERS
from pregon.organizations.models import Organization
from pregon.planning import services as planning
from pregon.planning.models import PlanLine
from pregon.planning.services import PlanData, PlanLineData


@dataclass(frozen=True)
class LineSpec:
    description: str
    scheme: str
    code: str
    value: str
    quarter: int
    method: str
    category: str
    reserved: bool = False


@dataclass(frozen=True)
class PlanSpec:
    buyer: str
    currency: str
    language: str
    title: str
    description: str
    lines: tuple[LineSpec, ...]
    # The line withdrawn after publication, with the buyer's reason.
    withdrawn: tuple[int, str] | None = None


PLANS: tuple[PlanSpec, ...] = (
    PlanSpec(
        buyer="valparaiso",
        currency="CLP",
        language=ContentLanguage.ES,
        title="Plan anual de compras",
        description=(
            "Compras previstas por la Municipalidad para el año, según el presupuesto aprobado "
            "por el Concejo. Las fechas y montos son estimados y pueden cambiar."
        ),
        lines=(
            LineSpec(
                "Útiles escolares para las escuelas municipales",
                "CPV",
                "30192000-1",
                "38000000",
                1,
                Method.OPEN,
                Category.GOODS,
                reserved=True,
            ),
            LineSpec(
                "Mantención de áreas verdes de los cerros",
                "CPV",
                "77310000-6",
                "420000000",
                2,
                Method.OPEN,
                Category.SERVICES,
            ),
            LineSpec(
                "Reparación de veredas en el plan de la ciudad",
                "CPV",
                "45233161-5",
                "260000000",
                3,
                Method.OPEN,
                Category.WORKS,
            ),
            LineSpec(
                "Alimentos para los jardines infantiles",
                "CPV",
                "15800000-6",
                "24000000",
                1,
                Method.LIMITED,
                Category.GOODS,
                reserved=True,
            ),
        ),
        withdrawn=(
            4,
            "Los jardines infantiles pasan a la red de la JUNJI, que hará su propia compra.",
        ),
    ),
    PlanSpec(
        buyer="curitiba",
        currency="BRL",
        language=ContentLanguage.PT,
        title="Plano de contratações anual",
        description=(
            "Contratações previstas pela Prefeitura para o exercício (Lei 14.133/2021, art. 12, "
            "VII). Valores estimados."
        ),
        lines=(
            LineSpec(
                "Uniformes escolares da rede municipal",
                "CPV",
                "18100000-0",
                "1850000",
                1,
                Method.OPEN,
                Category.GOODS,
                reserved=True,
            ),
            LineSpec(
                "Manutenção de praças e parques",
                "UNSPSC",
                "70111700",
                "3200000",
                2,
                Method.OPEN,
                Category.SERVICES,
            ),
            LineSpec(
                "Gêneros alimentícios da agricultura familiar para a merenda",
                "CPV",
                "15300000-1",
                "940000",
                2,
                Method.LIMITED,
                Category.GOODS,
                reserved=True,
            ),
            LineSpec(
                "Recapeamento de vias do bairro Pinheirinho",
                "CPV",
                "45233142-6",
                "7400000",
                3,
                Method.OPEN,
                Category.WORKS,
            ),
        ),
    ),
    PlanSpec(
        buyer="belize",
        currency="BZD",
        language=ContentLanguage.EN,
        title="Annual procurement plan",
        description=(
            "Procurements the Ministry expects to make in the year, as budgeted. Values and "
            "quarters are estimates."
        ),
        lines=(
            LineSpec(
                "Road maintenance of the Hummingbird Highway",
                "CPV",
                "45233141-9",
                "2600000",
                1,
                Method.OPEN,
                Category.WORKS,
            ),
            LineSpec(
                "Office supplies for district offices",
                "UNSPSC",
                "44121700",
                "85000",
                2,
                Method.RFQ,
                Category.GOODS,
                reserved=True,
            ),
            LineSpec(
                "Engineering supervision of bridge repairs",
                "CPV",
                "71520000-9",
                "480000",
                4,
                Method.SELECTIVE,
                Category.SERVICES,
            ),
        ),
    ),
)


def build_plans(
    *,
    today: dt.datetime,
    buyers: dict[str, Organization],
    officials: dict[str, User],
) -> int:
    """Draft, fill and publish each demo plan for the year after the demo's day; returns the
    number of lines published."""
    specs = {spec.key: spec for spec in BUYERS}
    published = 0
    withdrawals = []
    for days, plan_spec in enumerate(PLANS):
        buyer_spec = specs[plan_spec.buyer]
        actor = Actor(user=officials[plan_spec.buyer], organization=buyers[plan_spec.buyer])
        with clock.at(local_moment(buyer_spec, today, -172 + days, 10)):
            lines = _plan_draft(plan_spec, actor, today.year + 1)
        with clock.at(local_moment(buyer_spec, today, -168 + days, 11)):
            published += len(planning.plan_publish(actor=actor, plan=lines[0].plan))
        if plan_spec.withdrawn:
            number, reason = plan_spec.withdrawn
            withdrawals.append((buyer_spec, actor, lines[number - 1], reason))
    # After every plan is out: the demo's releases are published in time order.
    for buyer_spec, actor, line, reason in withdrawals:
        with clock.at(local_moment(buyer_spec, today, -160, 16)):
            planning.plan_line_withdraw(actor=actor, line=line, reason=reason)
    return published


def _plan_draft(spec: PlanSpec, actor: Actor, year: int) -> list[PlanLine]:
    assert actor.organization is not None
    plan = planning.plan_create(
        actor=actor,
        buyer=actor.organization,
        data=PlanData(
            year=year, title=spec.title, description=spec.description, language=spec.language
        ),
    )
    return [
        planning.plan_line_add(
            actor=actor,
            plan=plan,
            data=PlanLineData(
                description=line.description,
                classification_scheme=line.scheme,
                classification_code=line.code,
                estimated_value=Decimal(line.value),
                currency=spec.currency,
                quarter=line.quarter,
                method=line.method,
                category=line.category,
                reserved=line.reserved,
            ),
        )
        for line in spec.lines
    ]
