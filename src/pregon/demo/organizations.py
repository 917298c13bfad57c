"""The demo's organizations and the people who act for them.

Public bodies are real institutions of Chile, Brazil and Belize, used as a believable setting;
their identifiers are generated (valid check digits, not their real registrations). Every
supplier is fictitious. Suppliers cover every scale, include cooperatives, and declare the
characteristics (women-owned, indigenous-owned, local) the MSME indicators count; two Brazilian
micro firms form a consortium (`CONSORTIA`), which bids as one.
"""

from __future__ import annotations

from dataclasses import dataclass

from pregon.core.identifiers import cnpj_with_check_digits, rut_with_check_digit


@dataclass(frozen=True, kw_only=True)
class Person:
    full_name: str
    email: str
    # The interface language the person prefers (a code of settings.LANGUAGES).
    language: str


@dataclass(frozen=True, kw_only=True)
class BuyerSpec:
    key: str
    legal_name: str
    name: str
    scheme: str
    identifier: str
    country: str
    region: str
    locality: str
    street_address: str
    postal_code: str
    buyer_type: str
    email: str
    telephone: str
    website: str
    description: str
    # The language the buyer writes its tenders in (tenders.choices.ContentLanguage).
    language: str
    timezone: str
    official: Person
    # The members of its opening committees: three, so that two of them can open the bids.
    committee: tuple[Person, ...]


@dataclass(frozen=True, kw_only=True)
class SupplierSpec:
    key: str
    legal_name: str
    name: str
    scheme: str
    identifier: str
    country: str
    region: str
    locality: str
    scale: str
    description: str
    user: Person
    is_cooperative: bool = False
    women_owned: bool = False
    indigenous_owned: bool = False
    is_local: bool = False


@dataclass(frozen=True, kw_only=True)
class ConsortiumSpec:
    """A consortium of demo suppliers: formed by its lead member's person `formed_days_ago`
    days before the demo's day, each other member accepting the next day. Its members are
    `SupplierSpec` keys with their shares in percent (adding up to 100, the lead's included);
    `key` names it, as it names a supplier, in `content.BidSpec`."""

    key: str
    name: str
    description: str
    lead: str
    lead_share: str
    members: tuple[tuple[str, str], ...]
    formed_days_ago: int


OPERATOR_ADMIN = Person(
    full_name="Valentina Ortiz Ramírez", email="admin@demo.example", language="en"
)

OVERSIGHT = BuyerSpec(
    key="contraloria",
    legal_name="Contraloría General de la República",
    name="Contraloría General de la República",
    scheme="CL-RUT",
    identifier=rut_with_check_digit(60_400_120),
    country="CL",
    region="Región Metropolitana de Santiago",
    locality="Santiago",
    street_address="Teatinos 56",
    postal_code="8340521",
    buyer_type="",
    email="oficinadepartes@contraloria.demo.example",
    telephone="+56 2 2402 1100",
    website="",
    description=(
        "Órgano autónomo de control que fiscaliza el uso de los recursos públicos y la "
        "legalidad de los actos de la administración."
    ),
    language="es",
    timezone="America/Santiago",
    official=Person(
        full_name="Rodrigo Sepúlveda Vidal",
        email="auditor@contraloria.demo.example",
        language="es",
    ),
    committee=(),
)

BUYERS: tuple[BuyerSpec, ...] = (
    BuyerSpec(
        key="mop",
        legal_name="Ministerio de Obras Públicas",
        name="Ministerio de Obras Públicas (MOP)",
        scheme="CL-RUT",
        identifier=rut_with_check_digit(61_202_310),
        country="CL",
        region="Región Metropolitana de Santiago",
        locality="Santiago",
        street_address="Morandé 59",
        postal_code="8340362",
        buyer_type="ministry",
        email="compras@mop.demo.example",
        telephone="+56 2 2449 3000",
        website="",
        description=(
            "Planifica, construye y conserva la infraestructura pública de Chile: caminos, "
            "puentes, obras hidráulicas, aeropuertos y edificación pública."
        ),
        language="es",
        timezone="America/Santiago",
        official=Person(
            full_name="Carolina Muñoz Fuentes", email="compras@mop.demo.example", language="es"
        ),
        committee=(
            Person(
                full_name="Andrés Valenzuela Rojas",
                email="comision@mop.demo.example",
                language="es",
            ),
            Person(
                full_name="Daniela Pizarro Soto", email="comision2@mop.demo.example", language="es"
            ),
            Person(
                full_name="Javier Bravo Fuentealba",
                email="comision3@mop.demo.example",
                language="es",
            ),
        ),
    ),
    BuyerSpec(
        key="valparaiso",
        legal_name="Ilustre Municipalidad de Valparaíso",
        name="Municipalidad de Valparaíso",
        scheme="CL-RUT",
        identifier=rut_with_check_digit(69_060_710),
        country="CL",
        region="Región de Valparaíso",
        locality="Valparaíso",
        street_address="Condell 1490",
        postal_code="2340000",
        buyer_type="municipality",
        email="adquisiciones@valparaiso.demo.example",
        telephone="+56 32 293 9000",
        website="",
        description=(
            "Gobierno local de la comuna de Valparaíso: aseo y ornato, áreas verdes, "
            "educación y salud municipal, y mantención de los cerros y el plan de la ciudad."
        ),
        language="es",
        timezone="America/Santiago",
        official=Person(
            full_name="Francisca Soto Aravena",
            email="adquisiciones@valparaiso.demo.example",
            language="es",
        ),
        committee=(
            Person(
                full_name="Matías Contreras Leiva",
                email="comision@valparaiso.demo.example",
                language="es",
            ),
            Person(
                full_name="Camila Araya Guzmán",
                email="comision2@valparaiso.demo.example",
                language="es",
            ),
            Person(
                full_name="Sebastián Núñez Tapia",
                email="comision3@valparaiso.demo.example",
                language="es",
            ),
        ),
    ),
    BuyerSpec(
        key="temuco",
        legal_name="Hospital Dr. Hernán Henríquez Aravena",
        name="Hospital Regional de Temuco",
        scheme="CL-RUT",
        identifier=rut_with_check_digit(61_607_410),
        country="CL",
        region="Región de La Araucanía",
        locality="Temuco",
        street_address="Manuel Montt 115",
        postal_code="4781151",
        buyer_type="hospital",
        email="abastecimiento@hospitaltemuco.demo.example",
        telephone="+56 45 255 9000",
        website="",
        description=(
            "Hospital base del Servicio de Salud Araucanía Sur, centro de referencia de alta "
            "complejidad para la región, con atención intercultural a pacientes mapuche."
        ),
        language="es",
        timezone="America/Santiago",
        official=Person(
            full_name="Paula Catrileo Morales",
            email="abastecimiento@hospitaltemuco.demo.example",
            language="es",
        ),
        committee=(
            Person(
                full_name="Felipe Riquelme Sandoval",
                email="comision@hospitaltemuco.demo.example",
                language="es",
            ),
            Person(
                full_name="Francisca Huenchullán Paredes",
                email="comision2@hospitaltemuco.demo.example",
                language="es",
            ),
            Person(
                full_name="Ignacio Cárdenas Mella",
                email="comision3@hospitaltemuco.demo.example",
                language="es",
            ),
        ),
    ),
    BuyerSpec(
        key="curitiba",
        legal_name="Município de Curitiba",
        name="Prefeitura Municipal de Curitiba",
        scheme="BR-CNPJ",
        identifier=cnpj_with_check_digits("761740020001"),
        country="BR",
        region="Paraná",
        locality="Curitiba",
        street_address="Avenida Cândido de Abreu, 817 - Centro Cívico",
        postal_code="80530-908",
        buyer_type="municipality",
        email="licitacoes@curitiba.demo.example",
        telephone="+55 41 3350-8484",
        website="",
        description=(
            "Prefeitura da capital do Paraná: educação, saúde, mobilidade urbana, "
            "abastecimento e manutenção de espaços públicos."
        ),
        language="pt",
        timezone="America/Sao_Paulo",
        official=Person(
            full_name="Juliana Ferreira Kowalski",
            email="licitacoes@curitiba.demo.example",
            language="pt-br",
        ),
        committee=(
            Person(
                full_name="Rafael Mendes Wosniak",
                email="comissao@curitiba.demo.example",
                language="pt-br",
            ),
            Person(
                full_name="Juliana Kowalski Prado",
                email="comissao2@curitiba.demo.example",
                language="pt-br",
            ),
            Person(
                full_name="Marcelo Andrade Lopes",
                email="comissao3@curitiba.demo.example",
                language="pt-br",
            ),
        ),
    ),
    BuyerSpec(
        key="hcpa",
        legal_name="Hospital de Clínicas de Porto Alegre",
        name="Hospital de Clínicas de Porto Alegre (HCPA)",
        scheme="BR-CNPJ",
        identifier=cnpj_with_check_digits("875207510001"),
        country="BR",
        region="Rio Grande do Sul",
        locality="Porto Alegre",
        street_address="Rua Ramiro Barcelos, 2350 - Santa Cecília",
        postal_code="90035-903",
        buyer_type="hospital",
        email="suprimentos@hcpa.demo.example",
        telephone="+55 51 3359-8000",
        website="",
        description=(
            "Hospital público universitário ligado à Universidade Federal do Rio Grande do "
            "Sul, referência em alta complexidade para o Sul do Brasil."
        ),
        language="pt",
        timezone="America/Sao_Paulo",
        official=Person(
            full_name="Luciana Becker Machado",
            email="suprimentos@hcpa.demo.example",
            language="pt-br",
        ),
        committee=(
            Person(
                full_name="Tiago Schmitt Oliveira",
                email="comissao@hcpa.demo.example",
                language="pt-br",
            ),
            Person(
                full_name="Fernanda Becker Rocha",
                email="comissao2@hcpa.demo.example",
                language="pt-br",
            ),
            Person(
                full_name="Gustavo Lima Farias",
                email="comissao3@hcpa.demo.example",
                language="pt-br",
            ),
        ),
    ),
    BuyerSpec(
        key="belize",
        legal_name="Ministry of Infrastructure Development and Housing",
        name="Ministry of Infrastructure Development and Housing (Belize)",
        scheme="BZ-TIN",
        identifier="000104577",
        country="BZ",
        region="Cayo District",
        locality="Belmopan",
        street_address="Power Lane, Market Square",
        postal_code="",
        buyer_type="ministry",
        email="procurement@midh.demo.example",
        telephone="+501 822 2136",
        website="",
        description=(
            "Plans, builds and maintains Belize's public infrastructure: highways, bridges, "
            "drainage, public buildings and social housing."
        ),
        language="en",
        timezone="America/Belize",
        official=Person(
            full_name="Denise Arnold-Young",
            email="procurement@midh.demo.example",
            language="en",
        ),
        committee=(
            Person(full_name="Kareem Usher", email="committee@midh.demo.example", language="en"),
            Person(full_name="Shanice Gentle", email="committee2@midh.demo.example", language="en"),
            Person(full_name="Marlon Flowers", email="committee3@midh.demo.example", language="en"),
        ),
    ),
)


def _cl(  # noqa: PLR0917 (one compact row per supplier below)
    key: str,
    body: int,
    legal: str,
    name: str,
    region: str,
    city: str,
    scale: str,
    description: str,
    person: str,
    **flags: bool,
) -> SupplierSpec:
    return SupplierSpec(
        key=key,
        legal_name=legal,
        name=name,
        scheme="CL-RUT",
        identifier=rut_with_check_digit(body),
        country="CL",
        region=region,
        locality=city,
        scale=scale,
        description=description,
        user=Person(full_name=person, email=f"contacto@{key}.demo.example", language="es"),
        **flags,
    )


def _br(  # noqa: PLR0917 (one compact row per supplier below)
    key: str,
    base: str,
    legal: str,
    name: str,
    region: str,
    city: str,
    scale: str,
    description: str,
    person: str,
    **flags: bool,
) -> SupplierSpec:
    return SupplierSpec(
        key=key,
        legal_name=legal,
        name=name,
        scheme="BR-CNPJ",
        identifier=cnpj_with_check_digits(base),
        country="BR",
        region=region,
        locality=city,
        scale=scale,
        description=description,
        user=Person(full_name=person, email=f"contato@{key}.demo.example", language="pt-br"),
        **flags,
    )


def _bz(  # noqa: PLR0917 (one compact row per supplier below)
    key: str,
    tin: str,
    legal: str,
    name: str,
    region: str,
    city: str,
    scale: str,
    description: str,
    person: str,
    **flags: bool,
) -> SupplierSpec:
    return SupplierSpec(
        key=key,
        legal_name=legal,
        name=name,
        scheme="BZ-TIN",
        identifier=tin,
        country="BZ",
        region=region,
        locality=city,
        scale=scale,
        description=description,
        user=Person(full_name=person, email=f"info@{key}.demo.example", language="en"),
        **flags,
    )


RM, VALPO, ARAUCANIA = (
    "Región Metropolitana de Santiago",
    "Región de Valparaíso",
    "Región de La Araucanía",
)
PR, RS = "Paraná", "Rio Grande do Sul"

SUPPLIERS: tuple[SupplierSpec, ...] = (
    # Chile
    _cl("cordillera", 96_812_340, "Constructora Cordillera Andina S.A.", "Cordillera Andina",
        RM, "Santiago", "large",
        "Obras viales, puentes y conservación de caminos en todo Chile.",
        "Ignacio Larraín Bascuñán"),
    _cl("biobio", 77_245_610, "Ingeniería y Construcción Biobío Limitada", "ICB Ingeniería",
        "Región del Biobío", "Concepción", "medium",
        "Ingeniería de detalle, inspección técnica de obras y asesorías viales.",
        "Claudia Espinoza Parra", women_owned=True),
    _cl("portenos", 65_187_220, "Cooperativa de Trabajo Aseo y Servicios Porteños",
        "Coop. Porteños", VALPO, "Valparaíso", "small",
        "Cooperativa de trabajadoras y trabajadores del aseo: recolección, barrido y limpieza "
        "de ferias libres en los cerros de Valparaíso.",
        "Rosa Gallardo Pizarro", is_cooperative=True, women_owned=True, is_local=True),
    _cl("kumemongen", 65_204_330, "Cooperativa Agrícola Mapuche Küme Mongen",
        "Küme Mongen", ARAUCANIA, "Padre Las Casas", "micro",
        "Cooperativa de familias mapuche que producen hortalizas, huevos y miel sin "
        "agroquímicos para casinos institucionales de la región.",
        "Juana Ancamil Huenchullán", is_cooperative=True, indigenous_owned=True, is_local=True,
        women_owned=True),
    _cl("elpuerto", 76_931_450, "Ferretería y Materiales El Puerto SpA", "Ferretería El Puerto",
        VALPO, "Valparaíso", "micro",
        "Ferretería de barrio con despacho de materiales de construcción a los cerros.",
        "Luis Henríquez Olivares", is_local=True),
    _cl("pehuen", 77_418_920, "Tecnologías Pehuén SpA", "Pehuén Tech", RM, "Santiago", "small",
        "Desarrollo de software a medida, mesa de ayuda y servicios en la nube para el sector "
        "público.",
        "Daniela Toro Castillo", women_owned=True),
    _cl("medsur", 78_052_680, "Distribuidora Médica del Sur Limitada", "MedSur", ARAUCANIA,
        "Temuco", "medium",
        "Distribución de insumos clínicos y dispositivos médicos en el sur de Chile.",
        "Gonzalo Fuentealba Neira", is_local=True),
    _cl("austral", 96_540_870, "Comercial Farmacéutica Austral S.A.", "Farmacéutica Austral",
        RM, "Santiago", "large",
        "Importación y distribución de medicamentos y equipamiento hospitalario.",
        "Verónica Alarcón Méndez"),
    _cl("huenchumilla", 15_873_402, "Marcela Huenchumilla Paillal", "Marcela Huenchumilla",
        ARAUCANIA, "Temuco", "selfEmployed",
        "Facilitadora intercultural y traductora mapudungun-castellano con experiencia en "
        "salud pública.",
        "Marcela Huenchumilla Paillal", women_owned=True, indigenous_owned=True, is_local=True),
    _cl("araya", 12_406_117, "Jorge Araya Cortés", "Jorge Araya, electricista", VALPO,
        "Viña del Mar", "selfEmployed",
        "Instalador eléctrico autorizado SEC clase A: alumbrado, tableros y mantención.",
        "Jorge Araya Cortés", is_local=True),
    _cl("llanquihue", 76_604_580, "Transportes Lago Llanquihue Limitada",
        "Transportes Llanquihue", "Región de Los Lagos", "Puerto Montt", "small",
        "Arriendo de buses y minibuses con conductor para traslados institucionales.",
        "Patricio Oyarzún Barría"),
    _cl("cerroalegre", 76_117_340, "Imprenta Gráfica Cerro Alegre Limitada",
        "Gráfica Cerro Alegre", VALPO, "Valparaíso", "micro",
        "Imprenta offset y digital: afiches, folletos y material educativo.",
        "Camila Vergara Rosales", women_owned=True, is_local=True),
    _cl("pacifico", 96_788_120, "Aceros y Señalización Vial del Pacífico S.A.",
        "Señalización del Pacífico", RM, "Quilicura", "medium",
        "Fabricación de señales verticales, defensas camineras y demarcación vial.",
        "Héctor Zamorano Díaz"),
    _cl("losaromos", 77_930_260, "Alimentos y Casinos Los Aromos Limitada", "Casinos Los Aromos",
        ARAUCANIA, "Temuco", "small",
        "Servicios de alimentación colectiva para hospitales, colegios y empresas.",
        "Soledad Painemal Torres", is_local=True),
    # Brazil
    _br("coopafap", "081234560001", "Cooperativa dos Agricultores Familiares do Paraná",
        "COOPAFAP", PR, "São José dos Pinhais", "small",
        "Cooperativa de agricultura familiar que fornece hortaliças, frutas e mel para a "
        "alimentação escolar da Região Metropolitana de Curitiba.",
        "Marlene Dziedzic Rodrigues", is_cooperative=True, is_local=True),
    _br("costureiras", "124578900001", "Cooperativa de Costureiras Unidas de Porto Alegre",
        "Costureiras Unidas", RS, "Porto Alegre", "micro",
        "Cooperativa de costureiras que confecciona uniformes, enxoval hospitalar e rouparia.",
        "Sandra Regina Lopes", is_cooperative=True, women_owned=True, is_local=True),
    _br("araucaria", "056789120001", "Construtora Araucária Ltda.", "Construtora Araucária", PR,
        "Curitiba", "medium",
        "Obras de urbanização, praças, calçadas e edificações públicas.",
        "Eduardo Zanin Ribas"),
    _br("pampa", "023456780001", "Engenharia Pampa S.A.", "Engenharia Pampa", RS,
        "Porto Alegre", "large",
        "Engenharia, construção e manutenção de infraestrutura hospitalar e urbana.",
        "Cristiano Farias Brum"),
    _br("medsul", "098765430001", "Medsul Distribuidora Hospitalar Ltda.", "Medsul", RS,
        "Canoas", "medium",
        "Distribuição de medicamentos, materiais médico-hospitalares e equipamentos.",
        "Patrícia Gonçalves Weber"),
    _br("guaiba", "034567890001", "Laboratório Farmacêutico Guaíba S.A.", "Lab. Guaíba", RS,
        "Eldorado do Sul", "large",
        "Fabricação de medicamentos genéricos injetáveis e antimicrobianos.",
        "Roberto Dallagnol Pires"),
    _br("pinhao", "345678120001", "Pinhão Tecnologia Ltda. - ME", "Pinhão Tecnologia", PR,
        "Curitiba", "micro",
        "Startup de aplicativos móveis e serviços digitais para cidades.",
        "Beatriz Tanaka Moreira", women_owned=True, is_local=True),
    _br("kanhgag", "456781230001", "Cerâmica e Artesanato Kanhgág Ltda. - ME",
        "Artesanato Kanhgág", RS, "Nonoai", "micro",
        "Empresa de famílias Kaingang que produz cestaria, cerâmica e peças de mobiliário "
        "urbano em madeira certificada.",
        "Jaqueline Fág Kanhgág", indigenous_owned=True, women_owned=True),
    _br("gaucha", "567812340001", "Limpeza Gaúcha Serviços Ltda.", "Limpeza Gaúcha", RS,
        "Porto Alegre", "small",
        "Limpeza hospitalar, lavanderia industrial e locação de enxoval.",
        "Alexandre Kunz Teixeira", is_local=True),
    _br("iguacu", "678123450001", "Transportes Rodoviários Iguaçu Ltda.", "Transportes Iguaçu",
        PR, "Araucária", "small",
        "Transporte escolar e fretamento de ônibus na Região Metropolitana de Curitiba.",
        "Sérgio Lemos Carvalho"),
    _br("rocha", "789234560001", "Marcos Vinícius Rocha - MEI", "Marcos Rocha Manutenção", PR,
        "Curitiba", "selfEmployed",
        "Microempreendedor individual: manutenção elétrica e hidráulica predial.",
        "Marcos Vinícius Rocha", is_local=True),
    # Belize
    _bz("cayobuilders", "000231118", "Cayo Builders Co-operative Society Limited",
        "Cayo Builders Co-op", "Cayo District", "San Ignacio", "small",
        "Worker-owned co-operative of masons, carpenters and heavy-equipment operators "
        "building schools, drains and rural roads.",
        "Marvin Tzib", is_cooperative=True, is_local=True),
    _bz("maya", "000298764", "San Antonio Maya Stoneworkers Co-operative",
        "Maya Stoneworkers Co-op", "Toledo District", "San Antonio", "micro",
        "Maya Mopan and Q'eqchi' stonemasons building culverts, retaining walls and "
        "footbridges for rural communities.",
        "Aurelio Choc", is_cooperative=True, indigenous_owned=True, is_local=True),
    _bz("aggregates", "000117532", "Caribbean Aggregates and Paving Limited",
        "Caribbean Aggregates", "Belize District", "Ladyville", "large",
        "Quarrying, asphalt production and highway paving across Belize and the region.",
        "Gregory Flowers"),
    _bz("belmopaneng", "000265410", "Belmopan Engineering Consultants Ltd.",
        "Belmopan Engineering", "Cayo District", "Belmopan", "small",
        "Civil and hydraulic engineering design, supervision and flood-risk studies.",
        "Giselle Palacio", women_owned=True),
    _bz("castillo", "000342287", "Sharon Castillo, Licensed Land Surveyor", "Sharon Castillo",
        "Belize District", "Belize City", "selfEmployed",
        "Licensed land surveyor: topographic surveys, GNSS and drone mapping.",
        "Sharon Castillo", women_owned=True, is_local=True),
)  # fmt: skip

CONSORTIA: tuple[ConsortiumSpec, ...] = (
    # Brazil: two micro-enterprises, one making urban furniture in certified wood, the other
    # apps for cities, bid together on a lot reserved for ME/EPP.
    ConsortiumSpec(
        key="consorcio",
        name="Consórcio Kanhgág-Pinhão Mobiliário Urbano",
        description=(
            "Consórcio de duas microempresas para mobiliário urbano e sinalização em madeira "
            "certificada ligados a serviços digitais: a Artesanato Kanhgág fabrica e instala, a "
            "Pinhão Tecnologia leva o conteúdo ao celular."
        ),
        lead="kanhgag",
        lead_share="50",
        members=(("pinhao", "50"),),
        # After every supplier registered, before the first tender of the demo (157 days ago).
        formed_days_ago=166,
    ),
)
