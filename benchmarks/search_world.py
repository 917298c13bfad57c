"""The tenders of `search.py`: synthetic compiled OCDS releases in four languages, deterministic.

The skeleton of each process (its buyer number, procurement method, CPV items and lots) is
drawn as the team's generator draws the tender of a process (`gen_ocds.make_process`, with its
code lists and method weights; the rest of its chain, bids, awards and contracts, is not made:
the search reads the tender). Its texts are all English and all alike ("Procurement 17"), which
no search can be measured on, so this module writes what a publisher of that language would
write: a title made of an action, an object of the item's CPV domain and a beneficiary or
place ("Adquisición de insumos médicos para el Hospital de Quillamarca"), a description of two
or three sentences, item descriptions and classification names in the release's language, the
buyer's name, country and region, a reference of the buyer's own ("MSAL-2026-004211"), a status
and a closing date in the five years before the benchmark's "now" (`NOW`) or up to 45
days after it. Place names are made of syllables, a
long tail of rare words as in real data (proper nouns), drawn with a Zipf-like skew.

Pure Python, no Django: `release(i)` is the compiled release of process `i`, the same for the
same `i` and seed whatever else was generated before it.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import random
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = Path(
    os.environ.get("PREGON_BENCH_GENERATOR", ROOT.parent / "shared" / "bench" / "gen_ocds.py")
)
#: The moment the benchmark's queries take as now (closing dates spread around it).
NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
SEED = 20261201
PREFIX = "ocds-b3nch1"
#: The share of each release language.
LANGUAGE_WEIGHTS = {"es": 0.40, "pt": 0.25, "en": 0.20, "fr": 0.15}
#: Countries of each language, with the name a publisher of that language writes.
COUNTRIES = {
    "es": [
        ("CL", "Chile"),
        ("PE", "Perú"),
        ("CO", "Colombia"),
        ("MX", "México"),
        ("AR", "Argentina"),
        ("EC", "Ecuador"),
        ("GT", "Guatemala"),
        ("PY", "Paraguay"),
    ],
    "pt": [("BR", "Brasil"), ("PT", "Portugal"), ("AO", "Angola"), ("MZ", "Moçambique")],
    "en": [
        ("GB", "United Kingdom"),
        ("KE", "Kenya"),
        ("NG", "Nigeria"),
        ("GH", "Ghana"),
        ("JM", "Jamaica"),
    ],
    "fr": [
        ("FR", "France"),
        ("SN", "Sénégal"),
        ("CI", "Côte d'Ivoire"),
        ("CM", "Cameroun"),
        ("HT", "Haïti"),
    ],
}
REGIONS_PER_COUNTRY = 12
_COUNTRY_INDEX = {
    code: index
    for index, code in enumerate(code for pairs in COUNTRIES.values() for code, _name in pairs)
}
STATUSES = [("active", 0.55), ("complete", 0.25), ("cancelled", 0.06), ("unsuccessful", 0.06)]
STATUSES += [("planned", 0.08)]

# The CPV groups of gen_ocds.py: the category, then per language the group's name and the
# objects a title names. (Tables: one line a language.)
# fmt: off
DOMAINS: dict[str, tuple[str, dict[str, tuple[str, list[str]]]]] = {
    "30190000": (
        "goods",
        {
            "en": ("Office supplies", ["office supplies", "printer paper and toner", "stationery"]),
            "es": ("Artículos de oficina", ["útiles de oficina", "papel y tóner", "materiales de escritorio"]),
            "pt": ("Material de escritório", ["material de escritório", "papel e toner", "artigos de papelaria"]),
            "fr": ("Fournitures de bureau", ["fournitures de bureau", "papier et toner", "articles de papeterie"]),
        },
    ),
    "30213100": (
        "goods",
        {
            "en": ("Portable computers", ["laptop computers", "notebooks for teachers", "tablets"]),
            "es": ("Computadores portátiles", ["computadores portátiles", "notebooks para docentes", "tabletas"]),
            "pt": ("Computadores portáteis", ["computadores portáteis", "notebooks para professores", "tablets"]),
            "fr": ("Ordinateurs portables", ["ordinateurs portables", "tablettes numériques", "portables pour enseignants"]),
        },
    ),
    "33140000": (
        "goods",
        {
            "en": ("Medical consumables", ["medical consumables", "disposable syringes", "surgical gloves"]),
            "es": ("Insumos médicos", ["insumos médicos", "jeringas desechables", "guantes quirúrgicos"]),
            "pt": ("Material médico-hospitalar", ["insumos hospitalares", "seringas descartáveis", "luvas cirúrgicas"]),
            "fr": ("Consommables médicaux", ["consommables médicaux", "seringues jetables", "gants chirurgicaux"]),
        },
    ),
    "34110000": (
        "goods",
        {
            "en": ("Passenger cars", ["vehicles for the fleet", "electric cars", "pickup trucks"]),
            "es": ("Automóviles", ["vehículos para la flota", "camionetas", "vehículos eléctricos"]),
            "pt": ("Automóveis", ["veículos para a frota", "caminhonetes", "veículos elétricos"]),
            "fr": ("Voitures", ["véhicules de service", "véhicules électriques", "camionnettes"]),
        },
    ),
    "45233140": (
        "works",
        {
            "en": ("Roadworks", ["road resurfacing", "rural roads", "bridge repairs"]),
            "es": ("Obras viales", ["pavimentación de calles", "caminos rurales", "reparación de puentes"]),
            "pt": ("Obras rodoviárias", ["pavimentação de ruas", "estradas vicinais", "recuperação de pontes"]),
            "fr": ("Travaux routiers", ["revêtement de chaussée", "routes rurales", "réparation de ponts"]),
        },
    ),
    "45210000": (
        "works",
        {
            "en": ("Building works", ["a primary school", "a health centre", "social housing"]),
            "es": ("Obras de edificación", ["escuela básica", "centro de salud familiar", "viviendas sociales"]),
            "pt": ("Obras de edificação", ["escola municipal", "unidade básica de saúde", "habitação popular"]),
            "fr": ("Travaux de bâtiment", ["école primaire", "centre de santé", "logements sociaux"]),
        },
    ),
    "72000000": (
        "services",
        {
            "en": ("IT services", ["software development", "data centre hosting", "IT support"]),
            "es": ("Servicios informáticos", ["desarrollo de software", "alojamiento de servidores", "soporte informático"]),
            "pt": ("Serviços de informática", ["desenvolvimento de sistemas", "hospedagem de servidores", "suporte técnico de informática"]),
            "fr": ("Services informatiques", ["développement de logiciels", "hébergement de serveurs", "assistance informatique"]),
        },
    ),
    "79710000": (
        "services",
        {
            "en": ("Security services", ["security guards", "alarm monitoring", "surveillance"]),
            "es": ("Servicios de seguridad", ["vigilancia y guardias", "monitoreo de alarmas", "seguridad privada"]),
            "pt": ("Serviços de segurança", ["vigilância patrimonial", "monitoramento de alarmes", "segurança armada"]),
            "fr": ("Services de sécurité", ["gardiennage", "télésurveillance", "agents de sécurité"]),
        },
    ),
    "90910000": (
        "services",
        {
            "en": ("Cleaning services", ["office cleaning", "hospital cleaning", "window cleaning"]),
            "es": ("Servicios de aseo", ["aseo de oficinas", "limpieza hospitalaria", "aseo y ornato"]),
            "pt": ("Serviços de limpeza", ["limpeza predial", "limpeza hospitalar", "conservação e limpeza"]),
            "fr": ("Services de nettoyage", ["nettoyage des locaux", "nettoyage hospitalier", "entretien des bâtiments"]),
        },
    ),
    "09130000": (
        "goods",
        {
            "en": ("Fuels", ["diesel fuel", "petrol for vehicles", "heating oil"]),
            "es": ("Combustibles", ["petróleo diésel", "gasolina para vehículos", "combustible para calefacción"]),
            "pt": ("Combustíveis", ["óleo diesel", "gasolina comum", "combustível para a frota"]),
            "fr": ("Carburants", ["gazole", "essence pour véhicules", "fioul domestique"]),
        },
    ),
    "15800000": (
        "goods",
        {
            "en": ("Food products", ["school meals", "food baskets", "hospital catering"]),
            "es": ("Productos alimenticios", ["alimentación escolar", "canastas de alimentos", "raciones alimenticias"]),
            "pt": ("Produtos alimentícios", ["merenda escolar", "gêneros alimentícios", "cestas básicas"]),
            "fr": ("Produits alimentaires", ["repas scolaires", "denrées alimentaires", "restauration collective"]),
        },
    ),
    "18100000": (
        "goods",
        {
            "en": ("Work clothing", ["uniforms for staff", "protective clothing", "safety boots"]),
            "es": ("Ropa de trabajo", ["uniformes institucionales", "ropa de protección", "calzado de seguridad"]),
            "pt": ("Vestuário profissional", ["uniformes escolares", "equipamentos de proteção individual", "calçados de segurança"]),
            "fr": ("Vêtements de travail", ["uniformes du personnel", "vêtements de protection", "chaussures de sécurité"]),
        },
    ),
    "39130000": (
        "goods",
        {
            "en": ("Office furniture", ["office furniture", "school desks and chairs", "shelving"]),
            "es": ("Mobiliario de oficina", ["mobiliario de oficina", "mesas y sillas escolares", "estanterías metálicas"]),
            "pt": ("Mobiliário de escritório", ["mobiliário de escritório", "carteiras escolares", "armários de aço"]),
            "fr": ("Mobilier de bureau", ["mobilier de bureau", "tables et chaises scolaires", "rayonnages"]),
        },
    ),
    "50110000": (
        "services",
        {
            "en": ("Vehicle repair", ["fleet maintenance", "vehicle repairs", "tyre replacement"]),
            "es": ("Reparación de vehículos", ["mantención de vehículos", "reparación de la flota", "cambio de neumáticos"]),
            "pt": ("Manutenção de veículos", ["manutenção da frota", "reparo de veículos", "troca de pneus"]),
            "fr": ("Réparation de véhicules", ["entretien du parc automobile", "réparation de véhicules", "pneumatiques"]),
        },
    ),
    "71300000": (
        "services",
        {
            "en": ("Engineering services", ["engineering design", "works supervision", "feasibility study"]),
            "es": ("Servicios de ingeniería", ["diseño de ingeniería", "inspección técnica de obras", "estudio de factibilidad"]),
            "pt": ("Serviços de engenharia", ["projeto executivo", "fiscalização de obras", "estudo de viabilidade"]),
            "fr": ("Services d'ingénierie", ["études techniques", "maîtrise d'œuvre", "étude de faisabilité"]),
        },
    ),
    "80500000": (
        "services",
        {
            "en": ("Training services", ["staff training", "digital skills courses", "first aid training"]),
            "es": ("Servicios de capacitación", ["capacitación de funcionarios", "cursos de computación", "primeros auxilios"]),
            "pt": ("Serviços de capacitação", ["capacitação de servidores", "cursos de informática", "treinamento em primeiros socorros"]),
            "fr": ("Services de formation", ["formation du personnel", "cours d'informatique", "formation aux premiers secours"]),
        },
    ),
    "85140000": (
        "services",
        {
            "en": ("Health services", ["laboratory tests", "ambulance services", "medical examinations"]),
            "es": ("Servicios de salud", ["exámenes de laboratorio", "servicio de ambulancias", "atención médica"]),
            "pt": ("Serviços de saúde", ["exames laboratoriais", "serviço de ambulâncias", "atendimento médico"]),
            "fr": ("Services de santé", ["analyses de laboratoire", "transport en ambulance", "examens médicaux"]),
        },
    ),
    "22110000": (
        "goods",
        {
            "en": ("Printed books", ["textbooks", "library books", "printed forms"]),
            "es": ("Libros impresos", ["textos escolares", "libros para bibliotecas", "formularios impresos"]),
            "pt": ("Livros impressos", ["livros didáticos", "livros para bibliotecas", "impressos gráficos"]),
            "fr": ("Livres imprimés", ["manuels scolaires", "livres de bibliothèque", "imprimés administratifs"]),
        },
    ),
    "42120000": (
        "goods",
        {
            "en": ("Pumps", ["water pumps", "pumping station equipment", "compressors"]),
            "es": ("Bombas", ["bombas de agua", "equipos de bombeo", "compresores"]),
            "pt": ("Bombas", ["bombas d'água", "equipamentos de bombeamento", "compressores"]),
            "fr": ("Pompes", ["pompes à eau", "station de pompage", "compresseurs"]),
        },
    ),
    "48000000": (
        "goods",
        {
            "en": ("Software packages", ["software licences", "accounting software", "antivirus licences"]),
            "es": ("Paquetes de software", ["licencias de software", "sistema contable", "licencias de antivirus"]),
            "pt": ("Pacotes de software", ["licenças de software", "sistema de gestão", "licenças de antivírus"]),
            "fr": ("Progiciels", ["licences logicielles", "logiciel de comptabilité", "licences antivirus"]),
        },
    ),
}
ACTIONS = {
    "goods": {
        "en": ["Supply of", "Purchase of", "Provision of"],
        "es": ["Adquisición de", "Suministro de", "Compra de"],
        "pt": ["Aquisição de", "Fornecimento de", "Compra de"],
        "fr": ["Fourniture de", "Acquisition de", "Achat de"],
    },
    "works": {
        "en": ["Construction of", "Rehabilitation of", "Works on"],
        "es": ["Construcción de", "Mejoramiento de", "Obras de"],
        "pt": ["Construção de", "Reforma de", "Obras de"],
        "fr": ["Construction de", "Réhabilitation de", "Travaux de"],
    },
    "services": {
        "en": ["Contract for", "Services of", "Provision of"],
        "es": ["Contratación de", "Servicio de", "Prestación de servicios de"],
        "pt": ["Contratação de", "Serviços de", "Prestação de serviços de"],
        "fr": ["Prestations de", "Marché de", "Services de"],
    },
}
# A beneficiary or a place, "{}" being a place name.
BENEFICIARIES = {
    "en": ["for {} District Hospital", "for {} County Council", "for schools in {}", "in {}"],
    "es": ["para el Hospital de {}", "para la Municipalidad de {}", "para escuelas de {}", "en {}"],
    "pt": ["para o Hospital de {}", "para a Prefeitura de {}", "para escolas de {}", "em {}"],
    "fr": ["pour l'hôpital de {}", "pour la commune de {}", "pour les écoles de {}", "à {}"],
}
OPENINGS = {
    "en": "This procurement covers the {} {}.",
    "es": "El presente proceso tiene por objeto la contratación de {} {}.",
    "pt": "O presente processo tem por objeto a contratação de {} {}.",
    "fr": "La présente consultation a pour objet {} {}.",
}
SENTENCES = {
    "en": [
        "Delivery within thirty days of the purchase order.",
        "Bidders must show experience in similar contracts.",
        "Includes transport, installation and training of the staff.",
        "The technical specifications are in the attached documents.",
        "Payment in instalments after each partial delivery.",
        "A performance guarantee of five percent is required.",
        "Small and medium enterprises are encouraged to bid.",
        "Questions may be sent until ten days before the deadline.",
    ],
    "es": [
        "Entrega dentro de treinta días desde la orden de compra.",
        "Los oferentes deben acreditar experiencia en contratos similares.",
        "Incluye transporte, instalación y capacitación del personal.",
        "Las especificaciones técnicas se encuentran en las bases adjuntas.",
        "El pago se realizará contra entregas parciales.",
        "Se exige una garantía de fiel cumplimiento del cinco por ciento.",
        "Se invita especialmente a micro y pequeñas empresas.",
        "Las consultas se reciben hasta diez días antes del cierre.",
    ],
    "pt": [
        "Entrega em até trinta dias após a ordem de fornecimento.",
        "Os licitantes devem comprovar experiência em contratos similares.",
        "Inclui transporte, instalação e treinamento da equipe.",
        "As especificações técnicas constam do termo de referência.",
        "O pagamento será feito após cada entrega parcial.",
        "Exige-se garantia contratual de cinco por cento.",
        "Participação exclusiva de microempresas e empresas de pequeno porte.",
        "Pedidos de esclarecimento até dez dias antes da abertura.",
    ],
    "fr": [
        "Livraison sous trente jours à compter du bon de commande.",
        "Les soumissionnaires doivent justifier de références similaires.",
        "Comprend le transport, l'installation et la formation du personnel.",
        "Le cahier des charges techniques est joint au dossier.",
        "Paiement après chaque livraison partielle.",
        "Une garantie de bonne exécution de cinq pour cent est exigée.",
        "Les petites et moyennes entreprises sont encouragées à soumissionner.",
        "Les questions sont reçues jusqu'à dix jours avant la clôture.",
    ],
}
BUYER_KINDS = {
    "en": [("Ministry of Health", "MOH"), ("{} County Council", "CC"), ("{} Water Board", "WB")],
    "es": [("Ministerio de Salud", "MINSAL"), ("Municipalidad de {}", "MUN"), ("Hospital de {}", "HOSP")],
    "pt": [("Ministério da Saúde", "MS"), ("Prefeitura de {}", "PM"), ("Hospital de {}", "HOSP")],
    "fr": [("Ministère de la Santé", "MSAN"), ("Commune de {}", "COM"), ("Hôpital de {}", "HOP")],
}
# fmt: on
_ONSETS = ["b", "c", "d", "g", "l", "m", "n", "p", "qu", "r", "s", "t", "v", "ch", "br", "tr"]
_VOWELS = ["a", "e", "i", "o", "u", "ia", "ue", "ai"]
_CODAS = ["", "", "", "n", "s", "l", "r"]
PLACES = 30_000


def _place_names(count: int) -> list[str]:
    """`count` distinct place names of two to four syllables ("Quillamarca")."""
    rnd = random.Random(SEED)
    names: dict[str, None] = {}
    while len(names) < count:
        syllables = rnd.randint(2, 4)
        word = "".join(
            rnd.choice(_ONSETS) + rnd.choice(_VOWELS) + rnd.choice(_CODAS) for _ in range(syllables)
        )
        names.setdefault(word.capitalize(), None)
    return list(names)


_GEN: ModuleType | None = None


def generator() -> ModuleType:
    """The team's OCDS generator (`gen_ocds.py`), imported from its file."""
    global _GEN  # noqa: PLW0603 (imported once)
    if _GEN is None:
        spec = importlib.util.spec_from_file_location("gen_ocds", GENERATOR)
        if spec is None or spec.loader is None:
            raise SystemExit(f"the generator is not at {GENERATOR} (set PREGON_BENCH_GENERATOR)")
        module = importlib.util.module_from_spec(spec)
        sys.modules["gen_ocds"] = module
        spec.loader.exec_module(module)
        _GEN = module
    return _GEN


class World:
    """The process generator for `tenders` processes: `release(i)` for i in 1..tenders."""

    def __init__(self, tenders: int) -> None:
        self.tenders = tenders
        self.buyers = max(20, tenders // 200)
        self.places = _place_names(PLACES)
        # A Zipf-like skew: place k is drawn with weight 1/(k+1), through cumulative weights.
        self.place_weights = [1.0 / (rank + 1) ** 0.9 for rank in range(PLACES)]
        self.place_cumulative = _cumulative(self.place_weights)
        self.languages = list(LANGUAGE_WEIGHTS)
        self.language_cumulative = _cumulative(list(LANGUAGE_WEIGHTS.values()))
        self.status_names = [name for name, _weight in STATUSES]
        self.status_cumulative = _cumulative([weight for _name, weight in STATUSES])
        self.cpvs = list(DOMAINS)
        self.gen = generator()
        self._buyers: dict[int, dict[str, Any]] = {}

    def place(self, rnd: random.Random) -> str:
        return rnd.choices(self.places, cum_weights=self.place_cumulative)[0]

    def buyer(self, number: int) -> dict[str, Any]:
        """Buyer `number`: its language, country, region, name, acronym and party id."""
        if number not in self._buyers:
            self._buyers[number] = self._buyer(number)
        return self._buyers[number]

    def _buyer(self, number: int) -> dict[str, Any]:
        rnd = random.Random(SEED * 7919 + number)
        language = rnd.choices(self.languages, cum_weights=self.language_cumulative)[0]
        country, country_name = rnd.choice(COUNTRIES[language])
        # Each country has REGIONS_PER_COUNTRY regions of its own, named after places.
        region = self.places[
            REGIONS_PER_COUNTRY * _COUNTRY_INDEX[country] + rnd.randrange(REGIONS_PER_COUNTRY)
        ]
        template, acronym = rnd.choice(BUYER_KINDS[language])
        place = self.place(rnd)
        name = template.format(place) if "{}" in template else f"{template} ({country})"
        if "{}" in template:
            acronym = f"{acronym}{place[:3].upper()}"
        return {
            "language": language,
            "country": country,
            "country_name": country_name,
            "region": region,
            "name": name,
            "acronym": acronym,
            "id": f"{country}-GOV-{number:05d}",
        }

    def skeleton(self, i: int, rnd: random.Random) -> dict[str, Any]:
        """The tender part of gen_ocds's process `i` (its `make_process` without the planning,
        award and contract releases it also writes): buyer number, method, items with CPV
        codes (70% the group's code, 30% a random code in the group), lots, units."""
        gen = self.gen
        buyer_number = rnd.randint(1, self.buyers)
        method, details = gen.pick_method(rnd)
        cpv = rnd.choice(gen.CPV)
        n_items = rnd.randint(1, 4)
        n_lots = 1 if rnd.random() < 0.7 else rnd.randint(2, 3)
        lots = [{"id": f"lot-{k + 1}", "title": "", "status": "active"} for k in range(n_lots)]
        items = []
        for k in range(n_items):
            code = cpv[:2] + f"{rnd.randint(0, 999999):06d}" if rnd.random() < 0.3 else cpv
            items.append(
                {
                    "id": str(k + 1),
                    "description": "",
                    "classification": {"scheme": "CPV", "id": code, "description": ""},
                    "quantity": rnd.randint(1, 500),
                    "unit": {"name": rnd.choice(gen.UNITS)},
                    "relatedLot": lots[k % n_lots]["id"],
                }
            )
        return {
            "buyer_number": buyer_number,
            "cpv": cpv,
            "tender": {
                "procurementMethod": method,
                "procurementMethodDetails": details,
                "submissionMethod": ["electronicSubmission"],
                "awardCriteria": "priceOnly",
                "items": items,
                "lots": lots,
            },
        }

    def release(self, i: int) -> dict[str, Any]:
        """The compiled release of process `i` (1-based)."""
        rnd = random.Random(SEED * 1_000_003 + i)
        skeleton = self.skeleton(i, rnd)
        tender = skeleton["tender"]
        buyer_number = skeleton["buyer_number"]
        buyer = self.buyer(buyer_number)
        language = buyer["language"]
        cpv = skeleton["cpv"]
        category, names = DOMAINS[cpv]
        group_name, objects = names[language]
        obj = rnd.choice(objects)
        action = rnd.choice(ACTIONS[category][language])
        where = rnd.choice(BENEFICIARIES[language]).format(self.place(rnd))
        title = f"{action} {obj} {where}"
        sentences = rnd.sample(SENTENCES[language], rnd.randint(1, 3))
        opening = OPENINGS[language].format(obj, where)
        description = " ".join([opening, *sentences])
        for number, item in enumerate(tender["items"]):
            item["description"] = rnd.choice(objects) if number else obj
            item["classification"]["description"] = group_name
        for lot in tender["lots"]:
            lot["title"] = rnd.choice(objects)
        # Five years of processes, the newest still open (closing up to 45 days ahead).
        closing = NOW + dt.timedelta(days=rnd.uniform(-1825, 45))
        status = rnd.choices(self.status_names, cum_weights=self.status_cumulative)[0]
        if status == "active" and closing < NOW - dt.timedelta(days=60):
            status = "complete"
        amount = round(10 ** rnd.uniform(3, 7), 2)
        year = closing.year
        tender.update(
            {
                "id": f"{buyer['acronym']}-{year}-{i:06d}",
                "title": title,
                "description": description,
                "status": status,
                "mainProcurementCategory": category,
                "value": {"amount": amount, "currency": "USD"},
                "tenderPeriod": {
                    "startDate": (closing - dt.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "endDate": closing.strftime("%Y-%m-%dT%H:%M:%SZ"),
                },
            }
        )
        party = {
            "id": buyer["id"],
            "name": buyer["name"],
            "roles": ["buyer", "procuringEntity"],
            "address": {"region": buyer["region"], "countryName": buyer["country_name"]},
        }
        return {
            "ocid": f"{PREFIX}-{i:07d}",
            "id": f"{PREFIX}-{i:07d}-tender",
            "date": (closing - dt.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tag": ["compiled"],
            "initiationType": "tender",
            "language": language,
            "buyer": {"id": buyer["id"], "name": buyer["name"]},
            "parties": [party],
            "tender": tender,
        }


def _cumulative(weights: list[float]) -> list[float]:
    total = 0.0
    out = []
    for weight in weights:
        total += weight
        out.append(total)
    return out
