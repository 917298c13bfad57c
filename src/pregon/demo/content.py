"""The demo's tenders: what each buyer buys, in its own language, and what happens to it.

Times are given in days relative to the day the demo is built, so open tenders always have
their deadlines ahead and closed ones behind. Classification codes are real CPV 2008 and
UNSPSC codes; values are in each buyer's currency (or in US dollars for a loan-financed work).

After the opening, a tender's `evaluations` and `contracts` carry it on: the committee's
evaluation of each lot, the buyer's decision, a complaint, then the contract, its deliveries,
invoices and payments. Moments are "days ago" (`*_days_ago`, counted back from the demo's
day); the dates a contract sets (its period, the deliveries' due dates) are days from today
(`*_days`, negative in the past), like the tenders' deadlines. The older processes sit 100 to
150 days back, so that their contracts have had time to be delivered, invoiced and paid, some
of them late (after the 30 days of PREGON_INVOICE_DUE_DAYS' default).
"""

from __future__ import annotations

from dataclasses import dataclass

OPEN, CLOSED, CANCELLED, CLOSED_CANCELLED, DRAFT = (
    "open",
    "closed",
    "cancelled",
    "closed_cancelled",
    "draft",
)


@dataclass(frozen=True)
class ItemSpec:
    description: str
    scheme: str
    code: str
    quantity: str
    unit: str


@dataclass(frozen=True)
class LotSpec:
    title: str
    value: str
    items: tuple[ItemSpec, ...]
    description: str = ""
    # Reserved for smaller firms where the buyer's rule pack leaves the choice (None: as it says).
    reserved: bool | None = None
    # The number of the lot whose divisible goods this lot is the quota of (Brazil's ME/EPP
    # quota, LC 123/2006, art. 48, III); None: an ordinary lot.
    quota_of: int | None = None


@dataclass(frozen=True)
class QuestionSpec:
    supplier: str
    text: str
    answer: str = ""
    lot: int | None = None


@dataclass(frozen=True)
class AmendmentSpec:
    reason: str
    days_ago: int
    # The new deadline, in days from today (the amendment moves it later).
    deadline_days: int
    description: str | None = None
    document_title: str = ""
    document_type: str = "other"


@dataclass(frozen=True)
class BidSpec:
    """A supplier's sealed bid: its price per lot offered, as (lot number, amount in the
    tender's currency), and the days before the demo's day it was submitted; then, perhaps,
    replaced by `new_prices` or withdrawn. Every amount is unlike any other of the demo, so a
    test can look for it in what the platform stores."""

    supplier: str
    prices: tuple[tuple[int, str], ...]
    days_ago: int
    replaced_days_ago: int | None = None
    new_prices: tuple[tuple[int, str], ...] = ()
    withdrawn_days_ago: int | None = None


@dataclass(frozen=True)
class JustificationSpec:
    """An abnormally low price: the committee asks the bidder to justify it (`request`), the
    bidder answers (`answer`) and the committee decides (`decision`, its reasons): accepted, the
    bid stays in; rejected, it is disqualified."""

    request: str
    answer: str
    decision: str
    requested_days_ago: int
    answered_days_ago: int
    decided_days_ago: int
    accepted: bool = True


@dataclass(frozen=True)
class AssessmentSpec:
    """The committee's check of one bid for a lot: qualified, or disqualified with the reason in
    words; its points on each quality criterion, in the tender's order (weighted criteria only);
    the justification of an abnormally low price when one is asked. `pending`: not checked yet
    (an evaluation left in progress for a visitor to finish)."""

    supplier: str
    disqualified: str = ""
    scores: tuple[str, ...] = ()
    justification: JustificationSpec | None = None
    pending: bool = False


@dataclass(frozen=True)
class ComplaintSpec:
    """A losing bidder's complaint during the standstill, with its grounds (and a document
    titled `document_title`), and the decision on it: upheld (the award is cancelled and the lot
    goes back to the committee) or dismissed, with the reasons (`resolution`)."""

    supplier: str
    grounds: str
    filed_days_ago: int
    resolution: str
    decided_days_ago: int
    upheld: bool = False
    document_title: str = ""


@dataclass(frozen=True)
class EvaluationSpec:
    """One round of a lot's evaluation by the members of the committee who opened the bids, and
    the buyer's decision on it.

    The committee starts the lot's evaluation (`started_days_ago`; None for the second round of
    a lot an upheld complaint sent back, whose evaluation is already open), checks and scores
    each bid (`assessed_days_ago`; a second round lists only the bids it looks at again) and
    completes it (`completed_days_ago`; None: still in progress). The buyer's official then
    decides (`decided_days_ago`): the bid ranked first is awarded, or the lot is unsuccessful
    when no bid is valid, `reason` saying why either way. The standstill ends by itself
    (PREGON_STANDSTILL_DAYS after the decision), unless a complaint suspends it.
    """

    lot: int
    assessed_days_ago: int
    assessments: tuple[AssessmentSpec, ...]
    started_days_ago: int | None = None
    completed_days_ago: int | None = None
    decided_days_ago: int | None = None
    reason: str = ""
    complaint: ComplaintSpec | None = None


@dataclass(frozen=True)
class InvoiceSpec:
    """The supplier's invoice for a delivery: its number and amount, the day it was submitted
    (also its date), the buyer's decision (accepted; or rejected, `rejected` being the reason)
    and the day it was paid (None: not yet). Paid more than PREGON_INVOICE_DUE_DAYS (30) days
    after it was submitted, it was paid late."""

    reference: str
    amount: str
    submitted_days_ago: int
    decided_days_ago: int
    paid_days_ago: int | None = None
    rejected: str = ""


@dataclass(frozen=True)
class MilestoneSpec:
    """A delivery the contract expects by `due_days`, recorded met `met_days_ago` (None: not
    yet), and the invoices the supplier sent for it."""

    title: str
    due_days: int
    met_days_ago: int | None = None
    invoices: tuple[InvoiceSpec, ...] = ()


@dataclass(frozen=True)
class ContractAmendmentSpec:
    """A change to a contract in force, with its reason: a new value, or a new end of the
    period (days from today)."""

    reason: str
    days_ago: int
    value: str | None = None
    period_end_days: int | None = None
    document_title: str = ""


@dataclass(frozen=True)
class ContractSpec:
    """The contract of a lot's award: drafted by the buyer's official (with its text and its
    deliveries), signed by them, confirmed by the supplier (it comes into force), perhaps
    amended, its deliveries met, invoiced and paid, and perhaps completed."""

    lot: int
    title: str
    description: str
    # Days from today of the start and the end of the contract's period.
    period_days: tuple[int, int]
    drafted_days_ago: int
    signed_days_ago: int
    buyer_signatory: str
    confirmed_days_ago: int
    supplier_signatory: str
    milestones: tuple[MilestoneSpec, ...]
    amendment: ContractAmendmentSpec | None = None
    completed_days_ago: int | None = None
    completion_note: str = ""


@dataclass(frozen=True)
class TenderSpec:
    buyer: str
    reference: str
    title: str
    description: str
    method: str
    category: str
    currency: str
    value: str
    lots: tuple[LotSpec, ...]
    state: str
    # Days before today it was published (drafts: created), and deadline in days from today.
    published_days_ago: int
    deadline_days: int
    award_criteria: str = "priceOnly"
    award_criteria_details: str = ""
    # Divide or explain: why a single-lot tender is not divided (where the rule pack asks).
    undivided_reason: str = ""
    # With ratedCriteria: (name, kind, weight) of each weighted criterion, and the price formula.
    criteria: tuple[tuple[str, str, int], ...] = ()
    price_scoring: str = "proportional"
    technical_specifications: bool = False
    questions: tuple[QuestionSpec, ...] = ()
    amendment: AmendmentSpec | None = None
    cancellation: str = ""
    cancelled_days_ago: int = 0
    # Sealed bids received before the deadline, and the positions of the committee members
    # who hand in their shares at the opening, in that order: as many as the threshold open
    # the bids; fewer leave the opening collecting shares.
    bids: tuple[BidSpec, ...] = ()
    opening_by: tuple[int, ...] = ()
    # After the opening: each lot's evaluation and decision (in order; a lot sent back by an
    # upheld complaint has a second round), and the contracts of the awards.
    evaluations: tuple[EvaluationSpec, ...] = ()
    contracts: tuple[ContractSpec, ...] = ()


def _cpv(description: str, code: str, quantity: str, unit: str) -> ItemSpec:
    return ItemSpec(description, "CPV", code, quantity, unit)


def _unspsc(description: str, code: str, quantity: str, unit: str) -> ItemSpec:
    return ItemSpec(description, "UNSPSC", code, quantity, unit)


TENDERS: tuple[TenderSpec, ...] = (
    # ---------------------------------------------------------------- Ministerio de Obras Públicas
    TenderSpec(
        buyer="mop",
        reference="MOP-VV-2026-014",
        title="Conservación global de caminos de la provincia de San Antonio, Región de Valparaíso",
        description=(
            "Contrato de conservación por nivel de servicio de 38 km de la red vial de la "
            "provincia de San Antonio (rutas G-94-F, G-86 y G-904), por 36 meses: bacheo, "
            "sellos asfálticos, limpieza de fajas y obras de arte, demarcación y reposición de "
            "señalización. El contratista mantendrá un equipo de emergencia disponible las 24 "
            "horas durante la temporada de lluvias."
        ),
        method="open",
        category="works",
        currency="CLP",
        value="2850000000",
        lots=(
            LotSpec(
                "Conservación de calzadas, bermas y saneamiento",
                "2310000000",
                (
                    _cpv("Conservación rutinaria de calzada asfáltica", "45233141-9", "38", "km"),
                    _cpv("Mezcla asfáltica en caliente para bacheo", "44113600-2", "1200", "t"),
                    _cpv("Limpieza de alcantarillas y cunetas", "45232130-2", "240", "unidad"),
                ),
                "Incluye bacheo, sellos y limpieza del sistema de drenaje.",
            ),
            LotSpec(
                "Demarcación y señalización vertical",
                "540000000",
                (
                    _cpv("Demarcación de pavimentos con pintura termoplástica", "45233221-4",
                         "52", "km"),
                    _cpv("Señales verticales reflectantes", "34992200-9", "180", "unidad"),
                ),
            ),
        ),
        state=OPEN,
        published_days_ago=12,
        deadline_days=18,
        award_criteria="ratedCriteria",
        criteria=(
            ("Oferta económica", "price", 60),
            ("Experiencia en conservación vial", "quality", 25),
            ("Plan de emergencias", "quality", 10),
            ("Cumplimiento de requisitos formales", "quality", 5),
        ),
        technical_specifications=True,
        questions=(
            QuestionSpec(
                "cordillera",
                "¿Se puede presentar oferta solo por el lote 2 de demarcación y señalización?",
                "Sí. Cada lote se evalúa y adjudica por separado; puede ofertar a uno o a ambos.",
                lot=2,
            ),
            QuestionSpec(
                "pacifico",
                "¿Las señales verticales deben cumplir con el Manual de Señalización de Tránsito "
                "vigente o con una norma de retrorreflectancia específica?",
                "Deben cumplir el Manual de Señalización de Tránsito y la lámina grado diamante "
                "(tipo XI) indicada en el punto 4.3 de las especificaciones técnicas.",
                lot=2,
            ),
            QuestionSpec(
                "biobio",
                "¿Existe una visita a terreno obligatoria? No encontramos la fecha en las bases.",
            ),
        ),
        amendment=AmendmentSpec(
            reason=(
                "Se reemplaza el anexo de cubicaciones porque el original omitía 6 km de la "
                "ruta G-904; se amplía el plazo de presentación de ofertas en una semana."
            ),
            days_ago=5,
            deadline_days=25,
            document_title="Anexo N.º 3: cubicaciones corregidas",
            document_type="billOfQuantity",
        ),
    ),
    TenderSpec(
        buyer="mop",
        reference="MOP-DV-2026-031",
        title="Asesoría a la inspección fiscal de la reposición del puente Cautín en Cajón",
        description=(
            "Asesoría técnica a la inspección fiscal durante la construcción del nuevo puente "
            "sobre el río Cautín en Cajón (comuna de Vilcún): control de calidad de hormigones "
            "y aceros, topografía de control, seguimiento ambiental y relación con las "
            "comunidades mapuche del sector, por 18 meses."
        ),
        method="selective",
        category="services",
        currency="CLP",
        value="640000000",
        lots=(
            LotSpec(
                "Asesoría a la inspección fiscal",
                "640000000",
                (
                    _cpv("Supervisión de obras de construcción", "71520000-9", "18", "mes"),
                    _unspsc("Servicios de ingeniería civil", "81101500", "1", "servicio"),
                ),
            ),
        ),
        state=CLOSED,
        published_days_ago=133,
        deadline_days=-100,
        award_criteria="ratedCriteria",
        criteria=(
            ("Propuesta técnica (equipo profesional, metodología, experiencia)", "quality", 70),
            ("Oferta económica", "price", 30),
        ),
        questions=(
            QuestionSpec(
                "biobio",
                "¿El jefe de la asesoría debe tener dedicación exclusiva o puede compartir su "
                "jornada con otro contrato?",
                "Dedicación exclusiva y residencia en la Región de La Araucanía durante todo el "
                "contrato, según el punto 6.2 de las bases.",
            ),
            QuestionSpec(
                "cordillera",
                "¿Puede un consorcio acreditar la experiencia sumando la de sus integrantes?",
                "Sí, la experiencia de los integrantes de una unión temporal de proveedores se "
                "suma, siempre que cada uno acredite al menos el 30 % de lo exigido.",
            ),
        ),
        bids=(
            BidSpec("biobio", ((1, "612480000"),), days_ago=106, replaced_days_ago=102,
                    new_prices=((1, "598730000"),)),
            BidSpec("cordillera", ((1, "655900000"),), days_ago=101),
        ),
        opening_by=(1, 2),
        # Weighted criteria: the committee scores the technical proposals.
        evaluations=(
            EvaluationSpec(
                lot=1,
                started_days_ago=99,
                assessed_days_ago=98,
                assessments=(
                    AssessmentSpec("biobio", scores=("63.50",)),
                    AssessmentSpec("cordillera", scores=("57.00",)),
                ),
                completed_days_ago=97,
                decided_days_ago=96,
                reason=(
                    "La oferta de Ingeniería y Construcción Biobío obtiene el mayor puntaje "
                    "total (93,50 de 100): la mejor propuesta técnica, con un jefe de asesoría "
                    "residente en Temuco y experiencia en tres puentes de hormigón "
                    "postensado, y el menor precio."
                ),
            ),
        ),
        contracts=(
            ContractSpec(
                lot=1,
                title="Asesoría a la inspección fiscal de la reposición del puente Cautín en Cajón",
                description=(
                    "Asesoría a la inspección fiscal por 18 meses, a suma alzada, con estados "
                    "de pago mensuales contra el informe mensual aprobado por el inspector "
                    "fiscal."
                ),
                period_days=(-80, 460),
                drafted_days_ago=84,
                signed_days_ago=83,
                buyer_signatory="Carolina Muñoz Fuentes, jefa del Departamento de Contratos",
                confirmed_days_ago=81,
                supplier_signatory="Claudia Espinoza Parra, representante legal",
                milestones=(
                    MilestoneSpec(
                        "Informe mensual N.º 1", due_days=-50, met_days_ago=49,
                        invoices=(InvoiceSpec("FE-20931", "33262777.78", submitted_days_ago=48,
                                              decided_days_ago=46, paid_days_ago=6),),
                    ),
                    MilestoneSpec(
                        "Informe mensual N.º 2", due_days=-20, met_days_ago=19,
                        invoices=(InvoiceSpec("FE-21107", "33262777.78", submitted_days_ago=18,
                                              decided_days_ago=16, paid_days_ago=2),),
                    ),
                    MilestoneSpec("Informe mensual N.º 3", due_days=10),
                    MilestoneSpec("Informe final de la asesoría", due_days=455),
                ),
                amendment=ContractAmendmentSpec(
                    reason=(
                        "Se incorpora a la asesoría el control de calidad de la variante "
                        "provisoria y del puente mecano instalados durante la construcción, no "
                        "previstos en las bases: aumento de 42.910.000 pesos (7,2 %)."
                    ),
                    days_ago=30,
                    value="641640000",
                    document_title="Modificación de contrato N.º 1",
                ),
            ),
        ),
    ),
    TenderSpec(
        buyer="mop",
        reference="MOP-VV-2026-022",
        title="Suministro de señales verticales y defensas camineras para la Región de La Araucanía",
        description=(
            "Adquisición de señales verticales reflectantes y defensa caminera metálica de doble "
            "onda para la reposición de elementos dañados en rutas de la Región de La Araucanía, "
            "con entrega en la bodega provincial de Vialidad en Temuco."
        ),
        method="open",
        category="goods",
        currency="CLP",
        value="385000000",
        lots=(
            LotSpec(
                "Señales y defensas camineras",
                "385000000",
                (
                    _cpv("Señales verticales reglamentarias y preventivas", "34992200-9", "420",
                         "unidad"),
                    _cpv("Defensa caminera metálica de doble onda", "34928000-8", "3600", "m"),
                ),
            ),
        ),
        state=CANCELLED,
        published_days_ago=20,
        deadline_days=5,
        cancellation=(
            "Se detectó un error en las especificaciones técnicas de la defensa caminera que "
            "impide comparar las ofertas. La licitación se publicará nuevamente con las "
            "especificaciones corregidas."
        ),
        cancelled_days_ago=6,
        questions=(
            QuestionSpec(
                "pacifico",
                "Las especificaciones piden defensa de 3 mm de espesor y el plano tipo indica "
                "2,67 mm. ¿Cuál prevalece?",
                "Gracias por advertirlo. El error se corregirá en un nuevo llamado.",
            ),
        ),
    ),
    TenderSpec(
        buyer="mop",
        reference="MOP-DV-2026-040",
        title="Adquisición de receptores GNSS para topografía de la Dirección de Vialidad",
        description=(
            "Compra de seis receptores GNSS de doble frecuencia con colectora de datos y "
            "licencia de software de post-proceso, para las brigadas de topografía de las "
            "oficinas provinciales de Vialidad. Incluye capacitación de dos días."
        ),
        method="rfq",
        category="goods",
        currency="CLP",
        value="96000000",
        lots=(
            LotSpec(
                "Equipos GNSS",
                "96000000",
                (
                    _cpv("Receptor GNSS RTK con colectora de datos", "38296000-8", "6", "unidad"),
                    _cpv("Capacitación en uso de equipos", "80510000-2", "2", "día"),
                ),
            ),
        ),
        state=OPEN,
        published_days_ago=4,
        deadline_days=6,
        questions=(
            QuestionSpec(
                "castillo",
                "Can the receivers be supplied with a three-year warranty instead of two?",
                "Sí, una garantía mayor a la mínima se considera en la evaluación.",
            ),
        ),
    ),
    TenderSpec(
        buyer="mop",
        reference="MOP-DP-2026-051",
        title="Estudio de ingeniería de detalle para el mejoramiento del enlace Casablanca, ruta 68",
        description=(
            "Estudio de ingeniería de detalle para el mejoramiento del enlace Casablanca en la "
            "ruta 68: trazado, estructuras, drenaje, iluminación y plan de desvíos de tránsito."
        ),
        method="open",
        category="services",
        currency="CLP",
        value="1200000000",
        lots=(
            LotSpec(
                "Ingeniería de detalle",
                "1200000000",
                (_cpv("Servicios de diseño de ingeniería", "71320000-7", "1", "estudio"),),
            ),
        ),
        state=DRAFT,
        published_days_ago=2,
        deadline_days=40,
    ),
    # ------------------------------------------------------------ Municipalidad de Valparaíso
    TenderSpec(
        buyer="valparaiso",
        reference="IMV-ASEO-2026-003",
        title="Recolección de residuos domiciliarios en los cerros y limpieza de ferias libres",
        description=(
            "Servicio de recolección de residuos domiciliarios en los cerros Alegre, "
            "Concepción, Bellavista y Florida, con camiones de baja capacidad aptos para calles "
            "estrechas, y limpieza de las ferias libres de avenida Argentina y Las Heras, por "
            "24 meses. Se valorará la contratación de mano de obra local."
        ),
        method="open",
        category="services",
        currency="CLP",
        value="1480000000",
        lots=(
            LotSpec(
                "Recolección domiciliaria en cerros",
                "1120000000",
                (
                    _cpv("Recolección de residuos domiciliarios", "90511000-2", "24", "mes"),
                    _unspsc("Recolección y eliminación de desechos", "76121500", "24", "mes"),
                ),
            ),
            LotSpec(
                "Limpieza de ferias libres",
                "360000000",
                (_cpv("Barrido y limpieza de calles", "90610000-6", "24", "mes"),),
            ),
        ),
        state=OPEN,
        published_days_ago=9,
        deadline_days=16,
        award_criteria="ratedCriteria",
        criteria=(
            ("Precio", "price", 50),
            ("Calidad del plan de trabajo", "quality", 25),
            ("Contratación de mano de obra local", "quality", 15),
            ("Condiciones laborales", "quality", 10),
        ),
        price_scoring="linear",
        technical_specifications=True,
        questions=(
            QuestionSpec(
                "portenos",
                "Somos una cooperativa de trabajo. ¿Podemos acreditar la experiencia con "
                "contratos de limpieza de ferias ejecutados para juntas de vecinos?",
                "Sí. Se acepta experiencia con cualquier mandante, acreditada con contratos o "
                "certificados de buena ejecución.",
                lot=2,
            ),
            QuestionSpec(
                "cordillera",
                "¿Cuál es la capacidad máxima de los camiones que pueden circular por los cerros?",
                "Camiones de hasta 8 m³ de caja compactadora; el anexo 2 lista las calles con "
                "restricción de peso.",
                lot=1,
            ),
            QuestionSpec(
                "portenos",
                "¿La boleta de garantía de fiel cumplimiento puede reemplazarse por una póliza "
                "de seguro?",
            ),
        ),
        bids=(
            BidSpec("portenos", ((2, "346215000"),), days_ago=3),
            BidSpec("cordillera", ((1, "1093870000"),), days_ago=1),
        ),
    ),
    TenderSpec(
        buyer="valparaiso",
        reference="IMV-OBRAS-2026-008",
        title="Reparación de escaleras y pasajes peatonales del cerro Cordillera",
        description=(
            "Reparación de 14 escaleras y 6 pasajes peatonales del cerro Cordillera: reposición "
            "de peldaños de hormigón, barandas metálicas, canaletas de aguas lluvia e "
            "iluminación peatonal."
        ),
        method="limited",
        category="works",
        currency="CLP",
        value="210000000",
        lots=(
            LotSpec(
                "Escaleras y pasajes",
                "210000000",
                (
                    _cpv("Obras de albañilería y hormigón", "45262500-6", "860", "m2"),
                    _cpv("Instalación de alumbrado peatonal", "45316110-9", "48", "unidad"),
                ),
            ),
        ),
        state=CLOSED,
        published_days_ago=134,
        deadline_days=-112,
        questions=(
            QuestionSpec(
                "elpuerto",
                "¿Los materiales pueden comprarse a proveedores del mismo cerro?",
                "Sí, las bases no lo restringen y valoran el abastecimiento local.",
            ),
        ),
        bids=(
            BidSpec("elpuerto", ((1, "203715500"),), days_ago=116),
            BidSpec("biobio", ((1, "198440000"),), days_ago=114),
            BidSpec("cordillera", ((1, "221360000"),), days_ago=113),
        ),
        opening_by=(2, 3),
        # A complaint upheld: the award is cancelled, the committee looks again, the buyer
        # decides again; the contract that follows is completed.
        evaluations=(
            EvaluationSpec(
                lot=1,
                started_days_ago=111,
                assessed_days_ago=111,
                assessments=(
                    AssessmentSpec("elpuerto"),
                    AssessmentSpec("biobio"),
                    AssessmentSpec("cordillera"),
                ),
                completed_days_ago=110,
                decided_days_ago=109,
                reason=(
                    "Oferta de menor precio entre las tres ofertas admisibles, 5,5 % bajo el "
                    "presupuesto disponible."
                ),
                complaint=ComplaintSpec(
                    "elpuerto",
                    grounds=(
                        "Ingeniería y Construcción Biobío no acredita su inscripción vigente "
                        "en el Registro Nacional de Contratistas del MINVU, que el punto 5.2 de "
                        "las bases exige a la fecha de apertura. Acompañamos el certificado del "
                        "registro consultado ese día: la inscripción figura vencida. Pedimos "
                        "que se deje sin efecto la adjudicación y se evalúe nuevamente."
                    ),
                    filed_days_ago=107,
                    document_title="Certificado del Registro Nacional de Contratistas",
                    resolution=(
                        "Se acoge el reclamo. La comisión no verificó el requisito del punto 5.2 "
                        "de las bases, y el certificado acompañado muestra que la inscripción de "
                        "Ingeniería y Construcción Biobío venció antes de la apertura. Se deja "
                        "sin efecto la adjudicación y el lote vuelve a la comisión evaluadora."
                    ),
                    decided_days_ago=104,
                    upheld=True,
                ),
            ),
            EvaluationSpec(
                lot=1,
                assessed_days_ago=103,
                assessments=(
                    AssessmentSpec(
                        "biobio",
                        disqualified=(
                            "No acredita inscripción vigente en el Registro Nacional de "
                            "Contratistas del MINVU, exigida en el punto 5.2 de las bases: su "
                            "inscripción venció antes de la apertura."
                        ),
                    ),
                ),
                completed_days_ago=103,
                decided_days_ago=102,
                reason=(
                    "Descalificada la oferta de Ingeniería y Construcción Biobío, la de "
                    "Ferretería y Materiales El Puerto es la de menor precio entre las "
                    "admisibles, 3 % bajo el presupuesto disponible."
                ),
            ),
        ),
        contracts=(
            ContractSpec(
                lot=1,
                title="Reparación de escaleras y pasajes peatonales del cerro Cordillera",
                description=(
                    "Obras a suma alzada en dos etapas, cada una pagada contra su recepción "
                    "conforme por la Dirección de Obras Municipales."
                ),
                period_days=(-87, -30),
                drafted_days_ago=90,
                signed_days_ago=89,
                buyer_signatory=(
                    "Francisca Soto Aravena, directora de Administración y Finanzas"
                ),
                confirmed_days_ago=88,
                supplier_signatory="Luis Henríquez Olivares, representante legal",
                milestones=(
                    MilestoneSpec(
                        "Escaleras 1 a 7: peldaños, barandas y canaletas", due_days=-60,
                        met_days_ago=61,
                        invoices=(InvoiceSpec("F-1187", "101857750", submitted_days_ago=60,
                                              decided_days_ago=57, paid_days_ago=22),),
                    ),
                    MilestoneSpec(
                        "Escaleras 8 a 14, pasajes e iluminación peatonal", due_days=-35,
                        met_days_ago=36,
                        invoices=(InvoiceSpec("F-1254", "101857750", submitted_days_ago=35,
                                              decided_days_ago=33, paid_days_ago=9),),
                    ),
                ),
                completed_days_ago=34,
                completion_note=(
                    "Recepción definitiva de las obras sin observaciones por la Dirección de "
                    "Obras Municipales."
                ),
            ),
        ),
    ),
    TenderSpec(
        buyer="valparaiso",
        reference="IMV-ALUM-2026-014",
        title="Mantención de luminarias peatonales en escaleras y pasajes de los cerros",
        description=(
            "Mantención preventiva y correctiva de 320 luminarias peatonales en escaleras y "
            "pasajes de los cerros de Valparaíso por 12 meses, con reposición de equipos LED y "
            "atención de fallas en 48 horas."
        ),
        method="rfq",
        category="services",
        currency="CLP",
        value="45000000",
        lots=(
            LotSpec(
                "Mantención de luminarias",
                "45000000",
                (
                    _cpv("Mantenimiento de alumbrado público", "50232100-1", "12", "mes"),
                    _cpv("Luminarias LED de reposición", "31527260-6", "60", "unidad"),
                ),
            ),
        ),
        state=CLOSED,
        published_days_ago=50,
        deadline_days=-24,
        questions=(
            QuestionSpec(
                "araya",
                "¿Se exige licencia SEC clase A o basta la clase B para esta mantención?",
                "Basta la licencia SEC clase B, según el punto 4.1 de las bases.",
            ),
        ),
        bids=(
            BidSpec("araya", ((1, "41870000"),), days_ago=30),
            BidSpec("elpuerto", ((1, "44350000"),), days_ago=27),
        ),
        opening_by=(1, 3),
        # The award is final: its contract waits for the buyer's official to draft it.
        evaluations=(
            EvaluationSpec(
                lot=1,
                started_days_ago=23,
                assessed_days_ago=22,
                assessments=(AssessmentSpec("araya"), AssessmentSpec("elpuerto")),
                completed_days_ago=22,
                decided_days_ago=21,
                reason=(
                    "Menor precio entre las dos cotizaciones admisibles; el instalador acredita "
                    "licencia SEC vigente y tres años de mantención de alumbrado en la comuna."
                ),
            ),
        ),
    ),
    TenderSpec(
        buyer="valparaiso",
        reference="IMV-EDUC-2026-019",
        title="Compra de útiles escolares para escuelas municipales",
        description=(
            "Adquisición de sets de útiles escolares para 4.200 estudiantes de enseñanza "
            "básica de escuelas municipales, con entrega en cada establecimiento antes del "
            "inicio del año escolar."
        ),
        method="rfq",
        category="goods",
        currency="CLP",
        value="48500000",
        lots=(
            LotSpec(
                "Útiles escolares",
                "48500000",
                (
                    _unspsc("Lápices grafito y de colores", "44121700", "4200", "set"),
                    _unspsc("Resmas de papel tamaño carta", "14111507", "900", "resma"),
                    _cpv("Cuadernos universitarios", "30199000-0", "12600", "unidad"),
                ),
            ),
        ),
        state=CLOSED,
        published_days_ago=20,
        deadline_days=-10,
    ),
    TenderSpec(
        buyer="valparaiso",
        reference="IMV-AAVV-2026-002",
        title="Mantención de áreas verdes del plan de Valparaíso y paseo Wheelwright",
        description=(
            "Mantención integral de 18 hectáreas de áreas verdes del plan de la ciudad y del "
            "paseo Wheelwright: riego, poda, reposición de especies nativas, aseo y cuidado del "
            "mobiliario urbano, por 36 meses."
        ),
        method="open",
        category="services",
        currency="CLP",
        value="720000000",
        lots=(
            LotSpec(
                "Áreas verdes",
                "720000000",
                (
                    _unspsc("Servicios de parques y jardines", "70111700", "36", "mes"),
                    _cpv("Mantenimiento de zonas verdes", "77310000-6", "18", "ha"),
                ),
            ),
        ),
        state=OPEN,
        published_days_ago=3,
        deadline_days=21,
        questions=(
            QuestionSpec(
                "cerroalegre",
                "¿El riego del paseo Wheelwright es manual o existe un sistema automático?",
            ),
        ),
    ),
    TenderSpec(
        buyer="valparaiso",
        reference="IMV-COM-2026-006",
        title="Impresión de material de difusión del programa Valparaíso Recicla",
        description=(
            "Impresión de afiches, folletos y calendarios de reciclaje para los puntos limpios "
            "de la comuna."
        ),
        method="direct",
        category="services",
        currency="CLP",
        value="6800000",
        lots=(
            LotSpec(
                "Impresos",
                "6800000",
                (
                    _cpv("Servicios de impresión de folletos", "79810000-5", "20000", "unidad"),
                    _unspsc("Impresión de afiches", "82121500", "1500", "unidad"),
                ),
            ),
        ),
        state=CANCELLED,
        published_days_ago=6,
        deadline_days=2,
        cancellation=(
            "El Gobierno Regional donó el material impreso del programa; la contratación ya no "
            "es necesaria."
        ),
        cancelled_days_ago=2,
    ),
    TenderSpec(
        buyer="valparaiso",
        reference="IMV-DIDECO-2026-011",
        title="Arriendo de buses para el programa de turismo social del adulto mayor",
        description=(
            "Arriendo de buses con conductor para 40 salidas del programa de turismo social "
            "de personas mayores, dentro de la Región de Valparaíso."
        ),
        method="rfq",
        category="services",
        currency="CLP",
        value="32000000",
        lots=(
            LotSpec(
                "Buses con conductor",
                "32000000",
                (_cpv("Transporte especial de pasajeros por carretera", "60130000-8", "40",
                      "viaje"),),
            ),
        ),
        state=DRAFT,
        published_days_ago=1,
        deadline_days=15,
    ),
    # ----------------------------------------------------------------- Hospital Regional de Temuco
    TenderSpec(
        buyer="temuco",
        reference="HHHA-ABAST-2026-044",
        title="Suministro de insumos clínicos desechables por 24 meses",
        description=(
            "Convenio de suministro de guantes de examen, apósitos y jeringas desechables para "
            "los servicios clínicos del hospital, con entregas mensuales en la bodega central y "
            "stock de seguridad de 30 días en la bodega del proveedor."
        ),
        method="open",
        category="goods",
        currency="CLP",
        value="890000000",
        lots=(
            LotSpec(
                "Guantes de examen",
                "410000000",
                (
                    _unspsc("Guantes de examen de nitrilo sin polvo, talla S", "42132203",
                            "6000", "caja x 100"),
                    _unspsc("Guantes de examen de nitrilo sin polvo, talla M", "42132203",
                            "12000", "caja x 100"),
                ),
            ),
            LotSpec(
                "Apósitos",
                "260000000",
                (
                    _cpv("Apósito transparente adhesivo 10 x 12 cm", "33141110-4", "80000",
                         "unidad"),
                    _cpv("Gasa estéril 10 x 10 cm", "33141110-4", "150000", "sobre"),
                ),
            ),
            LotSpec(
                "Jeringas",
                "220000000",
                (
                    _cpv("Jeringa desechable 5 ml con aguja 21G", "33141310-6", "240000",
                         "unidad"),
                    _cpv("Jeringa desechable 10 ml sin aguja", "33141310-6", "120000",
                         "unidad"),
                ),
            ),
        ),
        state=OPEN,
        published_days_ago=7,
        deadline_days=14,
        technical_specifications=True,
        questions=(
            QuestionSpec(
                "medsur",
                "¿Se aceptan guantes de vinilo como alternativa en el lote 1?",
                "No. Por política de control de infecciones solo se aceptan guantes de nitrilo.",
                lot=1,
            ),
            QuestionSpec(
                "austral",
                "¿Qué vencimiento mínimo deben tener los productos al momento de cada entrega?",
                "Doce meses como mínimo desde la fecha de recepción en bodega.",
            ),
            QuestionSpec(
                "medsur",
                "¿Es posible ofertar una presentación de 200 unidades por caja en el lote 1?",
                lot=1,
            ),
        ),
    ),
    TenderSpec(
        buyer="temuco",
        reference="HHHA-ALIM-2026-007",
        title="Servicio de alimentación para pacientes y funcionarios, con compra local",
        description=(
            "Servicio de alimentación hospitalaria (régimen normal y dietas terapéuticas) para "
            "pacientes hospitalizados y funcionarios, por 36 meses. Un lote reservado a la "
            "compra directa de hortalizas y huevos a productores de La Araucanía para la "
            "preparación de las minutas."
        ),
        method="open",
        category="services",
        currency="CLP",
        value="1950000000",
        lots=(
            LotSpec(
                "Alimentación de pacientes y funcionarios",
                "1720000000",
                (
                    _cpv("Servicios de preparación de comidas", "55321000-6", "36", "mes"),
                    _unspsc("Servicios de banquetes y catering", "90101600", "36", "mes"),
                ),
            ),
            LotSpec(
                "Hortalizas y huevos de productores locales",
                "230000000",
                (
                    _cpv("Hortalizas de temporada", "03221000-6", "54000", "kg"),
                    _cpv("Huevos de gallina de campo", "03142500-3", "180000", "unidad"),
                ),
            ),
        ),
        state=CLOSED,
        published_days_ago=140,
        deadline_days=-113,
        award_criteria="ratedCriteria",
        criteria=(
            ("Precio", "price", 40),
            ("Calidad nutricional de las minutas", "quality", 30),
            ("Compra a productores locales", "quality", 20),
            ("Experiencia", "quality", 10),
        ),
        questions=(
            QuestionSpec(
                "kumemongen",
                "Somos una cooperativa mapuche pequeña. ¿Podemos ofertar solo huevos del lote 2?",
                "Sí. En el lote 2 se puede ofertar por uno o ambos productos; la cantidad puede "
                "ser parcial y el lote puede adjudicarse a varios productores.",
                lot=2,
            ),
            QuestionSpec(
                "losaromos",
                "¿Cuántas raciones diarias se estiman para funcionarios de turno?",
                "Alrededor de 650 almuerzos y 180 cenas diarias; el detalle está en la minuta tipo "
                "publicada con la modificación N.º 1.",
                lot=1,
            ),
        ),
        amendment=AmendmentSpec(
            reason=(
                "Se publica la minuta tipo y las cantidades diarias por servicio, que faltaban en "
                "las bases; se extiende el plazo para presentar ofertas."
            ),
            days_ago=130,
            deadline_days=-106,
            document_title="Minuta tipo y raciones diarias por servicio",
            document_type="technicalSpecifications",
        ),
        bids=(
            BidSpec("kumemongen", ((2, "214380000"),), days_ago=109),
            BidSpec("losaromos", ((1, "1684250000"), (2, "236900000")), days_ago=107),
        ),
        opening_by=(1, 3),
        # Lot 1 scored on weighted criteria and awarded; lot 2 without a valid bid.
        evaluations=(
            EvaluationSpec(
                lot=1,
                started_days_ago=105,
                assessed_days_ago=104,
                assessments=(AssessmentSpec("losaromos", scores=("24.00", "15.50", "8.00")),),
                completed_days_ago=103,
                decided_days_ago=102,
                reason=(
                    "Única oferta del lote 1: cumple los requisitos de las bases y obtiene "
                    "87,50 puntos de 100, sobre el mínimo de 70 que exigen."
                ),
            ),
            EvaluationSpec(
                lot=2,
                started_days_ago=105,
                assessed_days_ago=104,
                assessments=(
                    AssessmentSpec(
                        "kumemongen",
                        disqualified=(
                            "No presenta la resolución sanitaria de la SEREMI de Salud que "
                            "autoriza la producción y venta de huevos, exigida en el punto 7.4 "
                            "de las bases a todo proveedor de alimentos."
                        ),
                    ),
                    AssessmentSpec(
                        "losaromos",
                        disqualified=(
                            "Las bases reservan el lote 2 a productores de La Araucanía "
                            "(punto 3.2); la oferta acredita como origen de las hortalizas y los "
                            "huevos a un distribuidor mayorista de Santiago."
                        ),
                    ),
                ),
                completed_days_ago=103,
                decided_days_ago=102,
                reason=(
                    "Ninguna oferta del lote 2 cumple los requisitos de las bases. El lote se "
                    "licitará nuevamente, con un plazo mayor para que los productores locales "
                    "obtengan la resolución sanitaria."
                ),
            ),
        ),
        contracts=(
            ContractSpec(
                lot=1,
                title="Servicio de alimentación para pacientes y funcionarios",
                description=(
                    "Servicio de alimentación por 36 meses, pagado cada mes por las raciones "
                    "servidas según las actas de recepción del Servicio de Alimentación, a "
                    "2.181,20 pesos la ración."
                ),
                period_days=(-86, 1009),
                drafted_days_ago=90,
                signed_days_ago=89,
                buyer_signatory="Paula Catrileo Morales, jefa de la Unidad de Abastecimiento",
                confirmed_days_ago=87,
                supplier_signatory="Soledad Painemal Torres, representante legal",
                milestones=(
                    MilestoneSpec(
                        "Servicio de alimentación del mes 1", due_days=-56, met_days_ago=55,
                        invoices=(InvoiceSpec("FAC-3306", "45979696.00", submitted_days_ago=54,
                                              decided_days_ago=52, paid_days_ago=12),),
                    ),
                    MilestoneSpec(
                        "Servicio de alimentación del mes 2", due_days=-26, met_days_ago=25,
                        invoices=(
                            InvoiceSpec(
                                "FAC-3391", "46786740.00", submitted_days_ago=24,
                                decided_days_ago=22,
                                rejected=(
                                    "La factura cobra 21.450 raciones del mes 2, pero las actas "
                                    "de recepción firmadas por el Servicio de Alimentación "
                                    "registran 20.980. Emita una nueva factura por las raciones "
                                    "recibidas."
                                ),
                            ),
                            InvoiceSpec("FAC-3398", "45761576.00", submitted_days_ago=21,
                                        decided_days_ago=19, paid_days_ago=3),
                        ),
                    ),
                    MilestoneSpec("Servicio de alimentación del mes 3", due_days=4),
                ),
            ),
        ),
    ),
    TenderSpec(
        buyer="temuco",
        reference="HHHA-GEST-2026-015",
        title="Servicio de facilitación intercultural y traducción mapudungun-castellano",
        description=(
            "Facilitación intercultural para pacientes mapuche y sus familias en los servicios "
            "de urgencia, medicina y pediatría: acompañamiento, traducción mapudungun-castellano "
            "y apoyo al equipo de salud, 44 horas semanales por 12 meses."
        ),
        method="rfq",
        category="services",
        currency="CLP",
        value="28000000",
        lots=(
            LotSpec(
                "Facilitación intercultural",
                "28000000",
                (
                    _cpv("Servicios de interpretación", "79540000-1", "2100", "hora"),
                    _cpv("Servicios de traducción de material educativo", "79530000-8", "40",
                         "página"),
                ),
            ),
        ),
        state=OPEN,
        published_days_ago=2,
        deadline_days=8,
        questions=(
            QuestionSpec(
                "huenchumilla",
                "¿Se exige un certificado de competencia lingüística o basta con experiencia "
                "acreditada en establecimientos de salud?",
            ),
        ),
    ),
    TenderSpec(
        buyer="temuco",
        reference="HHHA-EQUIP-2026-009",
        title="Adquisición de monitores multiparámetro para la Unidad de Paciente Crítico",
        description=(
            "Compra de 24 monitores multiparámetro con central de monitoreo, instalación, "
            "capacitación clínica y mantención preventiva por 3 años para la Unidad de Paciente "
            "Crítico adulto."
        ),
        method="selective",
        category="goods",
        currency="CLP",
        value="312000000",
        lots=(
            LotSpec(
                "Monitores y central",
                "312000000",
                (
                    _cpv("Monitor multiparámetro de cabecera", "33195000-3", "24", "unidad"),
                    _unspsc("Oxímetro de pulso de transporte", "42181801", "6", "unidad"),
                ),
            ),
        ),
        state=CLOSED_CANCELLED,
        published_days_ago=35,
        deadline_days=-9,
        award_criteria="ratedCriteria",
        criteria=(
            ("Evaluación técnica", "quality", 60),
            ("Precio", "price", 30),
            ("Servicio técnico", "quality", 10),
        ),
        cancellation=(
            "El Servicio de Salud Araucanía Sur adjudicó una compra centralizada que incluye "
            "estos equipos; se cancela el proceso para no duplicar la adquisición."
        ),
        cancelled_days_ago=3,
        # Cancelled after the deadline: these bids are never opened.
        bids=(
            BidSpec("medsur", ((1, "301874000"),), days_ago=12),
            BidSpec("austral", ((1, "309990000"),), days_ago=10),
        ),
    ),
    TenderSpec(
        buyer="temuco",
        reference="HHHA-MANT-2026-021",
        title="Mantención preventiva y correctiva de autoclaves de esterilización",
        description=(
            "Mantención de cuatro autoclaves de vapor de la Central de Esterilización, con "
            "repuestos incluidos y tiempo de respuesta máximo de 24 horas."
        ),
        method="open",
        category="services",
        currency="CLP",
        value="84000000",
        lots=(
            LotSpec(
                "Mantención de autoclaves",
                "84000000",
                (_cpv("Reparación y mantenimiento de equipo médico", "50421000-2", "24", "mes"),),
            ),
        ),
        state=DRAFT,
        published_days_ago=3,
        deadline_days=30,
    ),
    # ----------------------------------------------------------------- Prefeitura de Curitiba
    TenderSpec(
        buyer="curitiba",
        reference="PMC-SMSAN-2026-012",
        title="Aquisição de gêneros alimentícios da agricultura familiar para a alimentação escolar",
        description=(
            "Chamada pública para a compra de hortaliças, frutas e mel de agricultores "
            "familiares e suas cooperativas, destinados à alimentação escolar da rede municipal "
            "de ensino, conforme o Programa Nacional de Alimentação Escolar. Terão prioridade "
            "os fornecedores locais, os assentamentos e as comunidades indígenas e quilombolas."
        ),
        method="open",
        category="goods",
        currency="BRL",
        value="2350000.00",
        lots=(
            LotSpec(
                "Hortaliças",
                "1180000.00",
                (
                    _cpv("Alface crespa orgânica", "03221000-6", "96000", "maço"),
                    _cpv("Cenoura", "03221000-6", "140000", "kg"),
                ),
            ),
            LotSpec(
                "Frutas",
                "940000.00",
                (
                    _cpv("Banana-prata", "03222000-3", "180000", "kg"),
                    _cpv("Tangerina poncã", "03222000-3", "120000", "kg"),
                ),
            ),
            LotSpec(
                "Mel",
                "230000.00",
                (_cpv("Mel de abelha em sachê de 10 g", "15831600-8", "1200000", "sachê"),),
            ),
        ),
        state=OPEN,
        published_days_ago=6,
        deadline_days=12,
        questions=(
            QuestionSpec(
                "coopafap",
                "A cooperativa pode entregar em apenas uma das regionais de ensino?",
                "Sim. O anexo II divide as entregas por regional e o projeto de venda pode "
                "indicar quais regionais a cooperativa atenderá.",
            ),
            QuestionSpec(
                "coopafap",
                "Para o lote de mel, é obrigatório o registro no SIF ou basta o SIM municipal?",
                "O Serviço de Inspeção Municipal é aceito, assim como o SUSAF-PR.",
                lot=3,
            ),
            QuestionSpec(
                "kanhgag",
                "Comunidades indígenas de outro estado podem participar da chamada?",
            ),
        ),
    ),
    TenderSpec(
        buyer="curitiba",
        reference="PMC-SMOP-2026-027",
        title="Requalificação da Praça Tiradentes e das calçadas do entorno",
        description=(
            "Execução das obras de requalificação da Praça Tiradentes: novo piso em "
            "petit-pavê, calçadas acessíveis, paisagismo com espécies nativas e iluminação "
            "pública em LED, preservando o marco zero da cidade."
        ),
        method="open",
        category="works",
        currency="BRL",
        value="4780000.00",
        lots=(
            LotSpec(
                "Obras de requalificação",
                "4780000.00",
                (
                    _cpv("Pavimentação de calçadas em petit-pavê", "45233200-1", "6200", "m²"),
                    _cpv("Paisagismo de áreas verdes", "45112710-5", "1800", "m²"),
                    _cpv("Instalação de iluminação pública em LED", "45316110-9", "64",
                         "unidade"),
                ),
            ),
        ),
        state=CLOSED,
        published_days_ago=38,
        deadline_days=-4,
        technical_specifications=True,
        questions=(
            QuestionSpec(
                "araucaria",
                "O petit-pavê existente deve ser reaproveitado?",
                "Sim, no mínimo 60 % das pedras deverão ser reaproveitadas, conforme o memorial "
                "descritivo.",
            ),
        ),
        bids=(
            BidSpec("rocha", ((1, "4395000.00"),), days_ago=15, withdrawn_days_ago=9),
            BidSpec("araucaria", ((1, "4512380.45"),), days_ago=6),
            BidSpec("pampa", ((1, "4689900.00"),), days_ago=5),
        ),
        opening_by=(1, 2),
        # Awarded two days ago: in its standstill period, open to complaints.
        evaluations=(
            EvaluationSpec(
                lot=1,
                started_days_ago=3,
                assessed_days_ago=3,
                assessments=(AssessmentSpec("araucaria"), AssessmentSpec("pampa")),
                completed_days_ago=3,
                decided_days_ago=2,
                reason=(
                    "Menor preço entre as propostas habilitadas, 5,6 % abaixo do valor "
                    "estimado; a Construtora Araucária comprovou a execução de duas praças em "
                    "petit-pavê em área tombada."
                ),
            ),
        ),
    ),
    TenderSpec(
        buyer="curitiba",
        reference="PMC-SMMA-2026-019",
        title="Fornecimento e instalação de bancos e lixeiras em madeira certificada para parques",
        description=(
            "Fornecimento e instalação de 120 bancos e 80 lixeiras de madeira com certificação "
            "FSC no Parque Barigui e no Passeio Público, com garantia de cinco anos contra "
            "defeitos de fabricação."
        ),
        method="open",
        category="goods",
        currency="BRL",
        value="300000.00",
        lots=(
            LotSpec(
                "Mobiliário urbano",
                "300000.00",
                (
                    _cpv("Banco de praça em madeira certificada", "34928400-2", "120", "unidade"),
                    _cpv("Lixeira em madeira certificada", "34928480-6", "80", "unidade"),
                ),
            ),
        ),
        state=CLOSED,
        published_days_ago=138,
        deadline_days=-108,
        questions=(
            QuestionSpec(
                "kanhgag",
                "Aceitam madeira de reflorestamento de eucalipto com certificação FSC?",
                "Sim, desde que o certificado FSC esteja vigente e acompanhe a nota fiscal.",
            ),
        ),
        bids=(
            BidSpec("kanhgag", ((1, "268450.00"),), days_ago=115),
            BidSpec("araucaria", ((1, "291300.00"),), days_ago=112),
        ),
        opening_by=(2, 3),
        evaluations=(
            EvaluationSpec(
                lot=1,
                started_days_ago=107,
                assessed_days_ago=106,
                assessments=(AssessmentSpec("kanhgag"), AssessmentSpec("araucaria")),
                completed_days_ago=106,
                decided_days_ago=105,
                reason=(
                    "Menor preço entre as propostas habilitadas; o protótipo de banco "
                    "apresentado atende às especificações e a madeira tem certificação FSC "
                    "vigente."
                ),
            ),
        ),
        contracts=(
            ContractSpec(
                lot=1,
                title="Bancos e lixeiras em madeira certificada para parques",
                description=(
                    "Fornecimento pago em duas parcelas: 60 % na entrega no almoxarifado e "
                    "40 % após a instalação nos parques."
                ),
                period_days=(-90, 30),
                drafted_days_ago=93,
                signed_days_ago=92,
                buyer_signatory="Juliana Ferreira Kowalski, diretora de Licitações",
                confirmed_days_ago=91,
                supplier_signatory="Jaqueline Fág Kanhgág, sócia-administradora",
                milestones=(
                    MilestoneSpec(
                        "Entrega de 120 bancos e 80 lixeiras no almoxarifado", due_days=-60,
                        met_days_ago=62,
                        invoices=(InvoiceSpec("NF 0087", "161070.00", submitted_days_ago=61,
                                              decided_days_ago=59, paid_days_ago=35),),
                    ),
                    MilestoneSpec(
                        "Instalação no Parque Barigui e no Passeio Público", due_days=-45,
                        met_days_ago=47,
                        invoices=(InvoiceSpec("NF 0093", "107380.00", submitted_days_ago=46,
                                              decided_days_ago=44, paid_days_ago=5),),
                    ),
                ),
            ),
        ),
    ),
    TenderSpec(
        buyer="curitiba",
        reference="PMC-ICI-2026-004",
        title="Desenvolvimento e sustentação do aplicativo Curitiba Cidadã",
        description=(
            "Serviços de desenvolvimento, sustentação e suporte do aplicativo Curitiba Cidadã "
            "(Android, iOS e web), medidos em pontos de função, com central de atendimento aos "
            "usuários e requisitos de acessibilidade WCAG 2.2 AA; e, no lote 2, totens "
            "informativos em madeira certificada para os parques, ligados ao aplicativo."
        ),
        method="open",
        category="services",
        currency="BRL",
        value="1698400.00",
        lots=(
            LotSpec(
                "Desenvolvimento e sustentação",
                "1620000.00",
                (
                    _cpv("Desenvolvimento de software", "72262000-9", "3200", "ponto de função"),
                    _cpv("Serviços de suporte e central de atendimento", "72253000-3", "24",
                         "mês"),
                ),
            ),
            # Up to R$80,000: Brazil's pack reserves it for ME/EPP (LC 123/2006, art. 48, I).
            LotSpec(
                "Totens informativos nos parques",
                "78400.00",
                (
                    _cpv("Totem em madeira certificada com placa gravada e QR code",
                         "34928470-3", "40", "unidade"),
                    _cpv("Conteúdo dos totens no aplicativo (mapa e história de cada parque)",
                         "72262000-9", "40", "unidade"),
                ),
                description=(
                    "Fabricação e instalação de 40 totens em madeira com certificação FSC nos "
                    "parques municipais, cada um com um QR code que abre no aplicativo o mapa e "
                    "a história do parque."
                ),
            ),
        ),
        state=OPEN,
        published_days_ago=10,
        deadline_days=11,
        award_criteria="ratedCriteria",
        criteria=(("Nota técnica", "quality", 60), ("Preço", "price", 40)),
        award_criteria_details="Técnica e preço.",
        questions=(
            QuestionSpec(
                "pinhao",
                "Microempresas podem participar em consórcio?",
                "Sim, é permitida a participação em consórcio de até três empresas.",
            ),
            QuestionSpec(
                "pehuen",
                "Is remote work from outside Brazil acceptable for the development team?",
                "Não. O termo de referência revisado exige equipe residente no Brasil.",
            ),
        ),
        amendment=AmendmentSpec(
            reason=(
                "Publicação do termo de referência revisado, com a métrica de pontos de função e "
                "a exigência de equipe residente no Brasil; o prazo foi prorrogado."
            ),
            days_ago=3,
            deadline_days=15,
            description=(
                "Serviços de desenvolvimento, sustentação e suporte do aplicativo Curitiba "
                "Cidadã (Android, iOS e web), medidos em pontos de função pela contagem IFPUG, "
                "com central de atendimento aos usuários, equipe residente no Brasil e "
                "requisitos de acessibilidade WCAG 2.2 AA; e, no lote 2, totens informativos em "
                "madeira certificada para os parques, ligados ao aplicativo."
            ),
            document_title="Termo de referência revisado",
            document_type="technicalSpecifications",
        ),
        # A consortium of two micro-enterprises bids on the lot reserved for ME/EPP, after the
        # revised terms: its bid stays sealed until the opening.
        bids=(BidSpec("consorcio", ((2, "76385.40"),), days_ago=2),),
    ),
    TenderSpec(
        buyer="curitiba",
        reference="PMC-SETRAN-2026-009",
        title="Compra de uniformes para agentes de trânsito",
        description=(
            "Aquisição de uniformes completos (camisas, calças, jaquetas refletivas e bonés) "
            "para 420 agentes de trânsito."
        ),
        method="rfq",
        category="goods",
        currency="BRL",
        value="186400.00",
        lots=(
            LotSpec(
                "Uniformes",
                "186400.00",
                (
                    _cpv("Jaqueta refletiva de alta visibilidade", "18110000-3", "420",
                         "unidade"),
                    _unspsc("Camisas e calças de uniforme", "53102700", "1680", "peça"),
                ),
            ),
        ),
        state=CANCELLED,
        published_days_ago=12,
        deadline_days=-4,
        cancellation=(
            "Revogação por conveniência administrativa: a Secretaria de Trânsito aderiu a uma "
            "ata de registro de preços vigente com as mesmas especificações."
        ),
        cancelled_days_ago=7,
        questions=(
            QuestionSpec(
                "costureiras",
                "Cooperativas de costureiras podem participar mesmo sem estoque próprio de tecido?",
                "Sim, não é exigido estoque prévio; o tecido deve apenas atender às normas "
                "indicadas.",
            ),
        ),
    ),
    TenderSpec(
        buyer="curitiba",
        reference="PMC-SME-2026-031",
        title="Transporte escolar para a zona rural",
        description=(
            "Serviço de transporte escolar para estudantes da zona rural, em 12 roteiros, com "
            "veículos adaptados para pessoas com deficiência."
        ),
        method="open",
        category="services",
        currency="BRL",
        value="3120000.00",
        lots=(
            LotSpec(
                "Roteiros rurais",
                "3120000.00",
                (_cpv("Transporte escolar por ônibus", "60130000-8", "12", "roteiro"),),
            ),
        ),
        state=DRAFT,
        published_days_ago=1,
        deadline_days=35,
    ),
    # ------------------------------------------------------- Hospital de Clínicas de Porto Alegre
    TenderSpec(
        buyer="hcpa",
        reference="HCPA-SUP-2026-118",
        title="Registro de preços de medicamentos antimicrobianos injetáveis",
        description=(
            "Registro de preços para 12 meses de antimicrobianos injetáveis de uso hospitalar, "
            "com entregas parceladas conforme a demanda da farmácia central."
        ),
        method="open",
        category="goods",
        currency="BRL",
        value="3480000.00",
        lots=(
            LotSpec(
                "Antimicrobianos",
                "3480000.00",
                (
                    _cpv("Meropeném 1 g pó para solução injetável", "33651100-9", "60000",
                         "frasco-ampola"),
                    _cpv("Vancomicina 500 mg pó para solução injetável", "33651100-9", "45000",
                         "frasco-ampola"),
                    _cpv("Piperacilina + tazobactam 4 g + 500 mg", "33651100-9", "52000",
                         "frasco-ampola"),
                ),
            ),
        ),
        state=OPEN,
        published_days_ago=8,
        deadline_days=9,
        questions=(
            QuestionSpec(
                "guaiba",
                "É exigido registro na Anvisa em nome do licitante ou do fabricante?",
                "Do fabricante; o licitante distribuidor deve apresentar a autorização de "
                "funcionamento vigente.",
            ),
            QuestionSpec(
                "medsul",
                "Qual o prazo máximo de entrega após o empenho?",
                "Cinco dias úteis para entregas programadas e 24 horas para pedidos urgentes.",
            ),
            QuestionSpec(
                "medsul",
                "Serão aceitas embalagens hospitalares com 25 frascos-ampola?",
            ),
        ),
        bids=(
            BidSpec("guaiba", ((1, "3312480.00"),), days_ago=4),
            BidSpec("medsul", ((1, "3401250.00"),), days_ago=2),
        ),
    ),
    TenderSpec(
        buyer="hcpa",
        reference="HCPA-SUP-2026-097",
        title="Serviço de lavanderia hospitalar com locação de enxoval",
        description=(
            "Processamento de roupas hospitalares (coleta, lavagem, desinfecção, secagem, "
            "passadoria e entrega) com locação do enxoval, estimados em 95 toneladas mensais."
        ),
        method="open",
        category="services",
        currency="BRL",
        value="2940000.00",
        lots=(
            LotSpec(
                "Lavanderia e enxoval",
                "2940000.00",
                (
                    _cpv("Serviços de lavagem e limpeza a seco", "98310000-9", "1140", "t"),
                    _cpv("Enxoval hospitalar em locação", "39518000-6", "12", "mês"),
                ),
            ),
        ),
        state=CLOSED,
        published_days_ago=33,
        deadline_days=-2,
        questions=(
            QuestionSpec(
                "gaucha",
                "A lavanderia precisa estar em Porto Alegre ou pode ser na região metropolitana?",
                "Pode estar na região metropolitana, desde que a coleta respeite os horários do "
                "anexo III.",
            ),
            QuestionSpec(
                "costureiras",
                "É possível subcontratar a confecção do enxoval a uma cooperativa?",
                "Sim, a subcontratação da confecção é permitida até 30 % do valor do contrato.",
            ),
        ),
        bids=(
            BidSpec("costureiras", ((1, "2798355.20"),), days_ago=5),
            BidSpec("gaucha", ((1, "2871640.00"),), days_ago=3),
        ),
        opening_by=(3, 1),
        # Being evaluated: one bid checked, the other waits for a member of the committee.
        evaluations=(
            EvaluationSpec(
                lot=1,
                started_days_ago=1,
                assessed_days_ago=1,
                assessments=(
                    AssessmentSpec("costureiras"),
                    AssessmentSpec("gaucha", pending=True),
                ),
            ),
        ),
    ),
    TenderSpec(
        buyer="hcpa",
        reference="HCPA-SUP-2026-072",
        title="Confecção de enxoval cirúrgico reutilizável para o bloco cirúrgico",
        description=(
            "Confecção e fornecimento de aventais cirúrgicos e campos operatórios reutilizáveis "
            "em tecido de algodão e poliéster, resistentes a 100 ciclos de lavagem e "
            "esterilização, em três entregas ao longo de seis meses."
        ),
        method="open",
        category="goods",
        currency="BRL",
        value="540000.00",
        lots=(
            LotSpec(
                "Aventais e campos cirúrgicos",
                "540000.00",
                (
                    _cpv("Avental cirúrgico reutilizável, tamanho G", "33199000-1", "3600",
                         "unidade"),
                    _cpv("Campo operatório reutilizável 1,50 x 1,50 m", "33141000-0", "2400",
                         "unidade"),
                ),
            ),
        ),
        state=CLOSED,
        published_days_ago=150,
        deadline_days=-118,
        technical_specifications=True,
        questions=(
            QuestionSpec(
                "costureiras",
                "As peças podem ser entregues embaladas em lotes de 50 unidades?",
                "Sim; a embalagem em lotes de 50 unidades, com etiqueta de rastreabilidade, é a "
                "indicada no termo de referência.",
            ),
        ),
        bids=(
            BidSpec("costureiras", ((1, "486320.00"),), days_ago=125),
            BidSpec("medsul", ((1, "531900.00"),), days_ago=122),
            BidSpec("gaucha", ((1, "512760.00"),), days_ago=120),
        ),
        opening_by=(1, 2),
        # A cooperative's contract: its first delivery paid late, its second one overdue.
        evaluations=(
            EvaluationSpec(
                lot=1,
                started_days_ago=117,
                assessed_days_ago=116,
                assessments=(
                    AssessmentSpec("costureiras"),
                    AssessmentSpec("medsul"),
                    AssessmentSpec("gaucha"),
                ),
                completed_days_ago=116,
                decided_days_ago=115,
                reason=(
                    "Menor preço entre as três propostas habilitadas; as amostras da "
                    "cooperativa passaram nos ensaios de 100 ciclos de lavagem."
                ),
            ),
        ),
        contracts=(
            ContractSpec(
                lot=1,
                title="Enxoval cirúrgico reutilizável para o bloco cirúrgico",
                description=(
                    "Fornecimento em três entregas iguais, cada uma paga contra o termo de "
                    "recebimento definitivo do almoxarifado."
                ),
                period_days=(-100, 80),
                drafted_days_ago=103,
                signed_days_ago=102,
                buyer_signatory="Luciana Becker Machado, coordenadora de Suprimentos",
                confirmed_days_ago=100,
                supplier_signatory="Sandra Regina Lopes, presidente da cooperativa",
                milestones=(
                    MilestoneSpec(
                        "Primeira entrega: 1.200 aventais e 800 campos", due_days=-70,
                        met_days_ago=71,
                        invoices=(InvoiceSpec("NF-e 1043", "162106.67", submitted_days_ago=70,
                                              decided_days_ago=67, paid_days_ago=24),),
                    ),
                    MilestoneSpec(
                        "Segunda entrega: 1.200 aventais e 800 campos", due_days=-40,
                        met_days_ago=41,
                        invoices=(InvoiceSpec("NF-e 1079", "162106.67", submitted_days_ago=40,
                                              decided_days_ago=37),),
                    ),
                    MilestoneSpec("Terceira entrega: 1.200 aventais e 800 campos", due_days=20),
                ),
            ),
        ),
    ),
    TenderSpec(
        buyer="hcpa",
        reference="HCPA-ENG-2026-033",
        title="Manutenção preventiva e corretiva de equipamentos de ressonância magnética",
        description=(
            "Manutenção preventiva e corretiva, com reposição de peças e recarga de hélio, de "
            "dois equipamentos de ressonância magnética de 1,5 T e 3 T."
        ),
        method="limited",
        category="services",
        currency="BRL",
        value="860000.00",
        lots=(
            LotSpec(
                "Manutenção de ressonância",
                "860000.00",
                (
                    _cpv("Manutenção de equipamentos médicos", "50421000-2", "12", "mês"),
                ),
            ),
        ),
        state=CLOSED,
        published_days_ago=26,
        deadline_days=-14,
    ),
    TenderSpec(
        buyer="hcpa",
        reference="HCPA-SUP-2026-131",
        title="Aquisição de camas hospitalares elétricas",
        description=(
            "Aquisição de 120 camas hospitalares elétricas com grades laterais, balança "
            "integrada e colchão pneumático, para a ampliação das unidades de internação. "
            "Um quarto das camas (lote 2) é a cota reservada a microempresas e empresas de "
            "pequeno porte."
        ),
        method="open",
        category="goods",
        currency="BRL",
        value="1380000.00",
        lots=(
            LotSpec(
                "Camas hospitalares (cota principal)",
                "1035000.00",
                (
                    _cpv("Cama hospitalar elétrica com balança", "33192120-9", "90",
                         "unidade"),
                    _unspsc("Camas de paciente e acessórios", "42191800", "90", "unidade"),
                ),
            ),
            # Divisible goods: Brazil's pack lets the buyer reserve up to 25% for ME/EPP.
            LotSpec(
                "Camas hospitalares (cota reservada ME/EPP)",
                "345000.00",
                (
                    _cpv("Cama hospitalar elétrica com balança", "33192120-9", "30",
                         "unidade"),
                    _unspsc("Camas de paciente e acessórios", "42191800", "30", "unidade"),
                ),
                quota_of=1,
            ),
        ),
        state=OPEN,
        published_days_ago=1,
        deadline_days=14,
        technical_specifications=True,
    ),
    # ----------------------------------------------------------------------------- Belize
    TenderSpec(
        buyer="belize",
        reference="MIDH-CDB-2026-03",
        title="Rehabilitation of the Hummingbird Highway, Mile 13 to Mile 22",
        description=(
            "Rehabilitation of 9 miles of the Hummingbird Highway between Mile 13 and Mile 22: "
            "pavement reconstruction, widening of shoulders, replacement of culverts and "
            "slope protection. Financed by a loan from the Caribbean Development Bank; "
            "eligible bidders and goods must come from its member countries."
        ),
        method="open",
        category="works",
        currency="USD",
        value="6750000",
        lots=(
            LotSpec(
                "Pavement rehabilitation",
                "5100000",
                (
                    _cpv("Pavement reconstruction and asphalt surfacing", "45233222-1", "14.5",
                         "km"),
                    _cpv("Shoulder widening and surfacing", "45233141-9", "14.5", "km"),
                ),
            ),
            LotSpec(
                "Drainage and slope protection",
                "1650000",
                (
                    _cpv("Storm-water culverts", "45232130-2", "36", "each"),
                    _unspsc("Riprap and gabion slope protection", "30111500", "2400", "m³"),
                ),
                reserved=True,
            ),
        ),
        state=OPEN,
        published_days_ago=14,
        deadline_days=24,
        award_criteria="priceOnly",
        award_criteria_details="Lowest evaluated substantially responsive bid, per lot.",
        technical_specifications=True,
        questions=(
            QuestionSpec(
                "aggregates",
                "Is a pre-bid site visit scheduled, and can bidders bring their own surveyors?",
                "Yes. A site visit starts at Mile 13 on the date given in Section II; bidders "
                "may bring up to three staff, surveyors included.",
            ),
            QuestionSpec(
                "cayobuilders",
                "May a co-operative bid for Lot 2 only, in joint venture with a larger firm?",
                "Yes. Joint ventures are eligible for either lot; all members are jointly and "
                "severally liable.",
                lot=2,
            ),
            QuestionSpec(
                "maya",
                "Will local labour from the villages along the highway be given preference?",
            ),
        ),
    ),
    TenderSpec(
        buyer="belize",
        reference="MIDH-GOB-2026-11",
        title="Construction of a reinforced concrete bridge over the Sittee River",
        description=(
            "Construction of a two-lane, 60-metre reinforced concrete bridge over the Sittee "
            "River, Stann Creek District, with approach roads and river-bank protection, "
            "replacing the existing Bailey bridge."
        ),
        method="open",
        category="works",
        currency="BZD",
        value="3400000",
        lots=(
            LotSpec(
                "Bridge and approaches",
                "3400000",
                (
                    _cpv("Road bridge construction work", "45221111-3", "1", "lump sum"),
                    _cpv("River-bank protection works", "45246000-3", "220", "m"),
                ),
            ),
        ),
        undivided_reason=(
            "One bridge is one structure: its foundations, deck and approaches must be built and guaranteed by a single contractor."
        ),
        state=CLOSED,
        published_days_ago=152,
        deadline_days=-125,
        questions=(
            QuestionSpec(
                "aggregates",
                "Can the existing Bailey bridge be used for construction traffic?",
                "Yes, up to 20 tonnes per vehicle until the new bridge is open to traffic.",
            ),
        ),
        bids=(
            BidSpec("maya", ((1, "3318900.00"),), days_ago=132),
            BidSpec("cayobuilders", ((1, "3352410.00"),), days_ago=129),
            BidSpec("aggregates", ((1, "2598750.00"),), days_ago=127),
        ),
        opening_by=(2, 1),
        # An abnormally low price justified and accepted; a complaint about it dismissed; the
        # contract's period extended by an amendment.
        evaluations=(
            EvaluationSpec(
                lot=1,
                started_days_ago=124,
                assessed_days_ago=123,
                assessments=(
                    AssessmentSpec("maya"),
                    AssessmentSpec("cayobuilders"),
                    AssessmentSpec(
                        "aggregates",
                        justification=JustificationSpec(
                            request=(
                                "Your price is 23.6 % below the estimate and 22 % below the "
                                "mean of the other bids. Explain how you will build the bridge "
                                "at this price: give the cost breakdown of the concrete, the "
                                "steel and the river works, and the source of your aggregates."
                            ),
                            answer=(
                                "We quarry and crush our own aggregates at Ladyville and run "
                                "our own batching plant; aggregates and concrete, about 38 % of "
                                "the works, are priced at our cost, without a supplier's "
                                "margin. We also own the crane and the piling rig. Every item "
                                "of our breakdown carries a 6 % margin."
                            ),
                            decision=(
                                "Accepted. The breakdown is consistent: the company's own "
                                "quarry and batching plant explain the lower cost of materials, "
                                "its labour rates meet the legal minimums, and the performance "
                                "security of 10 % covers the remaining risk."
                            ),
                            requested_days_ago=123,
                            answered_days_ago=121,
                            decided_days_ago=120,
                        ),
                    ),
                ),
                completed_days_ago=120,
                decided_days_ago=119,
                reason=(
                    "Lowest evaluated substantially responsive bid. Its price was found "
                    "abnormally low; the bidder justified it and the committee accepted the "
                    "justification, with reasons published in the evaluation report."
                ),
                complaint=ComplaintSpec(
                    "maya",
                    grounds=(
                        "The awarded price is 22 % below the other bids and cannot cover the "
                        "works specified. The bid should have been rejected as abnormally low, "
                        "as Clause 32 of the Instructions to Bidders allows. We ask the "
                        "Ministry to review the award."
                    ),
                    filed_days_ago=116,
                    document_title="Comparison of the bid prices with the engineer's estimate",
                    resolution=(
                        "Dismissed. The committee found the price abnormally low, asked the "
                        "bidder to justify it and accepted the justification with reasons, "
                        "published with the evaluation report: its own quarry and batching "
                        "plant explain the lower cost of materials, and its labour rates meet "
                        "the legal minimums. Clause 32 allows, and does not oblige, the "
                        "rejection of a price justified in this way."
                    ),
                    decided_days_ago=112,
                ),
            ),
        ),
        contracts=(
            ContractSpec(
                lot=1,
                title="Construction of a reinforced concrete bridge over the Sittee River",
                description=(
                    "Lump-sum works contract, paid by stage against the engineer's certificate "
                    "of each stage completed."
                ),
                period_days=(-100, 200),
                drafted_days_ago=107,
                signed_days_ago=106,
                buyer_signatory="Denise Arnold-Young, Director of Procurement",
                confirmed_days_ago=104,
                supplier_signatory="Gregory Flowers, Managing Director",
                milestones=(
                    MilestoneSpec(
                        "Mobilization, temporary access and river diversion", due_days=-85,
                        met_days_ago=86,
                        invoices=(InvoiceSpec("INV-2026-0412", "519750.00",
                                              submitted_days_ago=85, decided_days_ago=82,
                                              paid_days_ago=68),),
                    ),
                    MilestoneSpec(
                        "Substructure: piers and abutments", due_days=-40, met_days_ago=42,
                        invoices=(InvoiceSpec("INV-2026-0587", "909562.50",
                                              submitted_days_ago=41, decided_days_ago=38,
                                              paid_days_ago=4),),
                    ),
                    MilestoneSpec("Superstructure, deck and approach roads", due_days=70),
                    MilestoneSpec("River-bank protection, load test and handover", due_days=250),
                ),
                amendment=ContractAmendmentSpec(
                    reason=(
                        "High water in the Sittee River stopped work on the pier foundations "
                        "for seven weeks; the completion date moves 60 days later, at no extra "
                        "cost."
                    ),
                    days_ago=55,
                    period_end_days=260,
                    document_title="Contract amendment No. 1",
                ),
            ),
        ),
    ),
    TenderSpec(
        buyer="belize",
        reference="MIDH-GOB-2026-19",
        title="Supply of precast concrete culverts for Toledo District rural roads",
        description=(
            "Supply and delivery of precast reinforced concrete pipe culverts to four "
            "villages of the Toledo District rural roads programme."
        ),
        method="rfq",
        category="goods",
        currency="BZD",
        value="185000",
        lots=(
            LotSpec(
                "Precast culverts",
                "185000",
                (
                    _cpv("Precast concrete pipe culvert, 600 mm", "44114220-0", "180", "metre"),
                    _cpv("Precast concrete pipe culvert, 900 mm", "44114220-0", "96", "metre"),
                ),
            ),
        ),
        undivided_reason=(
            "A single small purchase: dividing it would only multiply the paperwork for the suppliers."
        ),
        state=OPEN,
        published_days_ago=3,
        deadline_days=5,
        questions=(
            QuestionSpec(
                "maya",
                "Could the culverts be cast on site by a local co-operative instead?",
            ),
        ),
    ),
    TenderSpec(
        buyer="belize",
        reference="MIDH-GOB-2026-08",
        title="Topographic surveys and flood-risk mapping of the Belize City canals",
        description=(
            "Consultancy for topographic and bathymetric surveys of the Belize City canal "
            "system and a flood-risk map under present and projected climate conditions."
        ),
        method="selective",
        category="services",
        currency="BZD",
        value="420000",
        lots=(
            LotSpec(
                "Surveys and mapping",
                "420000",
                (
                    _cpv("Surveying services", "71355000-1", "1", "lump sum"),
                    _unspsc("Cartography services", "81151600", "1", "lump sum"),
                ),
            ),
        ),
        undivided_reason=(
            "The works on one site share one programme and one defects liability period."
        ),
        state=CLOSED,
        published_days_ago=29,
        deadline_days=-3,
        award_criteria="ratedCriteria",
        criteria=(("Technical proposal", "quality", 80), ("Price", "price", 20)),
        award_criteria_details="Quality- and cost-based selection (QCBS).",
        questions=(
            QuestionSpec(
                "castillo",
                "Can an individual surveyor join a firm's team as a sub-consultant?",
                "Yes; list sub-consultants in Form TECH-4 with their signed availability.",
            ),
            QuestionSpec(
                "belmopaneng",
                "Is bathymetry required for the Haulover Creek as well?",
                "Only for the canals shown on the map in Appendix A; Haulover Creek is excluded.",
            ),
        ),
        # One member has handed in: a visitor signs in as another to finish the opening.
        bids=(
            BidSpec("castillo", ((1, "389500.00"),), days_ago=8),
            BidSpec("belmopaneng", ((1, "404860.00"),), days_ago=4),
        ),
        opening_by=(1,),
    ),
    TenderSpec(
        buyer="belize",
        reference="MIDH-GOB-2026-15",
        title="Repair of school buildings in the Corozal District",
        description=(
            "Roof replacement, structural repairs and repainting of five primary schools in "
            "the Corozal District damaged during the last hurricane season."
        ),
        method="open",
        category="works",
        currency="BZD",
        value="960000",
        lots=(
            LotSpec(
                "School repairs",
                "960000",
                (
                    _cpv("Construction work for school buildings", "45214200-2", "5", "school"),
                    _cpv("Roof-covering work", "45261210-9", "2600", "m²"),
                ),
            ),
        ),
        undivided_reason=(
            "One indivisible service: a single firm answers for the whole of it."
        ),
        state=CANCELLED,
        published_days_ago=25,
        deadline_days=3,
        cancellation=(
            "The repairs will be carried out under the Ministry of Education's emergency "
            "programme; this tender is withdrawn to avoid duplicate contracts."
        ),
        cancelled_days_ago=4,
        questions=(
            QuestionSpec(
                "cayobuilders",
                "Are the five schools to be awarded as a single contract?",
                "Yes, as a single contract, with a separate completion date for each school.",
            ),
        ),
    ),
    TenderSpec(
        buyer="belize",
        reference="MIDH-IDB-2026-21",
        title="Supply and installation of solar street lighting on the Belmopan bypass",
        description=(
            "Supply and installation of 140 stand-alone solar LED street lights with lithium "
            "batteries along the Belmopan bypass, with a five-year maintenance plan."
        ),
        method="open",
        category="goods",
        currency="USD",
        value="730000",
        lots=(
            LotSpec(
                "Solar street lights",
                "730000",
                (
                    _cpv("Solar LED street light, 60 W", "34993000-4", "140", "each"),
                    _cpv("Installation of road lighting", "45316110-9", "140", "each"),
                ),
            ),
        ),
        undivided_reason=(
            "The lender's conditions require one contract for the whole project."
        ),
        state=DRAFT,
        published_days_ago=2,
        deadline_days=28,
    ),
)  # fmt: skip
