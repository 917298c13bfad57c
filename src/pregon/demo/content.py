"""The demo's tenders: what each buyer buys, in its own language, and what happens to it.

Times are given in days relative to the day the demo is built, so open tenders always have
their deadlines ahead and closed ones behind. Classification codes are real CPV 2008 and
UNSPSC codes; values are in each buyer's currency (or in US dollars for a loan-financed work).
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
        published_days_ago=45,
        deadline_days=-12,
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
            BidSpec("biobio", ((1, "612480000"),), days_ago=18, replaced_days_ago=14,
                    new_prices=((1, "598730000"),)),
            BidSpec("cordillera", ((1, "655900000"),), days_ago=13),
        ),
        opening_by=(1, 2),
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
        published_days_ago=30,
        deadline_days=-8,
        questions=(
            QuestionSpec(
                "elpuerto",
                "¿Los materiales pueden comprarse a proveedores del mismo cerro?",
                "Sí, las bases no lo restringen y valoran el abastecimiento local.",
            ),
        ),
        bids=(
            BidSpec("elpuerto", ((1, "203715500"),), days_ago=12),
            BidSpec("biobio", ((1, "198440000"),), days_ago=10),
            BidSpec("cordillera", ((1, "221360000"),), days_ago=9),
        ),
        opening_by=(2, 3),
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
        published_days_ago=40,
        deadline_days=-13,
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
            days_ago=30,
            deadline_days=-6,
            document_title="Minuta tipo y raciones diarias por servicio",
            document_type="technicalSpecifications",
        ),
        bids=(
            BidSpec("kumemongen", ((2, "214380000"),), days_ago=9),
            BidSpec("losaromos", ((1, "1684250000"), (2, "236900000")), days_ago=7),
        ),
        opening_by=(1, 3),
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
    ),
    TenderSpec(
        buyer="curitiba",
        reference="PMC-ICI-2026-004",
        title="Desenvolvimento e sustentação do aplicativo Curitiba Cidadã",
        description=(
            "Serviços de desenvolvimento, sustentação e suporte do aplicativo Curitiba Cidadã "
            "(Android, iOS e web), medidos em pontos de função, com central de atendimento aos "
            "usuários e requisitos de acessibilidade WCAG 2.2 AA."
        ),
        method="open",
        category="services",
        currency="BRL",
        value="1620000.00",
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
                "requisitos de acessibilidade WCAG 2.2 AA."
            ),
            document_title="Termo de referência revisado",
            document_type="technicalSpecifications",
        ),
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
            "integrada e colchão pneumático, para a ampliação das unidades de internação."
        ),
        method="open",
        category="goods",
        currency="BRL",
        value="1380000.00",
        lots=(
            LotSpec(
                "Camas hospitalares",
                "1380000.00",
                (
                    _cpv("Cama hospitalar elétrica com balança", "33192120-9", "120",
                         "unidade"),
                    _unspsc("Camas de paciente e acessórios", "42191800", "120", "unidade"),
                ),
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
        state=CLOSED,
        published_days_ago=42,
        deadline_days=-15,
        questions=(
            QuestionSpec(
                "aggregates",
                "Can the existing Bailey bridge be used for construction traffic?",
                "Yes, up to 20 tonnes per vehicle until the new bridge is open to traffic.",
            ),
        ),
        bids=(
            BidSpec("maya", ((1, "3318900.00"),), days_ago=22),
            BidSpec("cayobuilders", ((1, "3352410.00"),), days_ago=19),
            BidSpec("aggregates", ((1, "3286750.00"),), days_ago=17),
        ),
        opening_by=(2, 1),
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
        state=DRAFT,
        published_days_ago=2,
        deadline_days=28,
    ),
)  # fmt: skip
