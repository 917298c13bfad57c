"""The demo's supplier catalogues: what a few suppliers say they offer, where they deliver, how
much they can take on, and their products and services with photos drawn here with Pillow (no
file is copied from anywhere).

Every catalogue goes through the catalogue's services, as its supplier's person would fill it
in; the contracts on each profile come by themselves from what the demo published.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from pregon.accounts.models import User
from pregon.catalogue import services
from pregon.core.actor import Actor
from pregon.organizations.models import Organization


@dataclass(frozen=True, kw_only=True)
class ItemSpec:
    kind: str
    name: str
    code: str
    description: str = ""
    unit: str = ""
    price: str = ""
    currency: str = ""
    scheme: str = "CPV"
    # What the drawn photo shows: "blocks", "rounds", "stripes", "cone" or "" (no photo).
    motif: str = ""
    colour: tuple[int, int, int] = (40, 110, 160)


@dataclass(frozen=True, kw_only=True)
class CatalogueSpec:
    supplier: str
    description: str
    codes: tuple[tuple[str, str], ...]
    regions: tuple[tuple[str, str], ...]
    capacity: str = ""
    max_contract_value: str = ""
    currency: str = ""
    lead_time_days: int | None = None
    items: tuple[ItemSpec, ...] = field(default_factory=tuple)
    publish: bool = True


CATALOGUES: tuple[CatalogueSpec, ...] = (
    CatalogueSpec(
        supplier="kumemongen",
        description=(
            "Hortalizas de temporada, huevos de campo y miel de ulmo producidos sin agroquímicos "
            "por familias mapuche de Padre Las Casas. Entregamos a casinos de hospitales, "
            "escuelas y jardines infantiles."
        ),
        codes=(("CPV", "03000000-1"), ("CPV", "15000000-8")),
        regions=(("CL", "Región de La Araucanía"),),
        capacity="800 kg de hortalizas y 3.000 huevos por semana, de octubre a abril.",
        max_contract_value="40000000",
        currency="CLP",
        lead_time_days=2,
        items=(
            ItemSpec(
                kind="goods",
                name="Canasta de hortalizas de temporada",
                code="03221000-6",
                unit="caja de 10 kg",
                price="18500",
                currency="CLP",
                motif="rounds",
                colour=(70, 150, 60),
            ),
            ItemSpec(
                kind="goods",
                name="Huevos de campo",
                code="03142500-3",
                unit="bandeja de 30",
                price="7900",
                currency="CLP",
                motif="rounds",
                colour=(230, 220, 190),
            ),
            ItemSpec(
                kind="goods",
                name="Miel de ulmo",
                code="15831600-0",
                unit="frasco de 1 kg",
                price="9500",
                currency="CLP",
                motif="blocks",
                colour=(220, 160, 30),
            ),
        ),
    ),
    CatalogueSpec(
        supplier="portenos",
        description=(
            "Cooperativa de trabajo del aseo: barrido de calles, limpieza de ferias libres y "
            "retiro de residuos en los cerros de Valparaíso, con cuadrillas propias."
        ),
        codes=(("CPV", "90000000-7"),),
        regions=(("CL", "Región de Valparaíso"),),
        capacity="6 cuadrillas de 5 personas, 2 camiones aljibe.",
        max_contract_value="250000000",
        currency="CLP",
        lead_time_days=10,
        items=(
            ItemSpec(
                kind="services",
                name="Limpieza de ferias libres",
                code="90610000-6",
                unit="jornada",
                price="420000",
                currency="CLP",
                motif="stripes",
                colour=(20, 120, 110),
            ),
            ItemSpec(
                kind="services",
                name="Barrido manual de calles",
                code="90612000-0",
                unit="km",
                price="38000",
                currency="CLP",
            ),
        ),
    ),
    CatalogueSpec(
        supplier="pacifico",
        description=(
            "Fabricamos e instalamos señalización vial vertical y horizontal, defensas "
            "camineras y elementos de seguridad para obras en la vía pública."
        ),
        codes=(("CPV", "34920000-2"), ("CPV", "45233000-9")),
        regions=(("CL", ""),),
        capacity="Planta de 2.000 m² en Quilicura; 4 equipos de demarcación.",
        max_contract_value="900000000",
        currency="CLP",
        lead_time_days=15,
        items=(
            ItemSpec(
                kind="goods",
                name="Cono de tránsito 70 cm",
                code="34928000-8",
                unit="unidad",
                price="8900",
                currency="CLP",
                motif="cone",
                colour=(240, 120, 20),
            ),
            ItemSpec(
                kind="works",
                name="Demarcación de pavimentos",
                code="45233221-4",
                unit="m²",
                price="4200",
                currency="CLP",
                motif="stripes",
                colour=(60, 60, 60),
            ),
        ),
    ),
    CatalogueSpec(
        supplier="costureiras",
        description=(
            "Cooperativa de costureiras de Porto Alegre: uniformes escolares, jalecos e "
            "roupas hospitalares sob medida, com bordado de brasões."
        ),
        codes=(("CPV", "18000000-9"),),
        regions=(("BR", "Rio Grande do Sul"), ("BR", "Paraná")),
        capacity="1.500 peças por mês.",
        max_contract_value="600000",
        currency="BRL",
        lead_time_days=30,
        items=(
            ItemSpec(
                kind="goods",
                name="Jaleco hospitalar",
                code="18143000-3",
                unit="peça",
                price="89.90",
                currency="BRL",
                motif="blocks",
                colour=(245, 245, 250),
            ),
            ItemSpec(
                kind="goods",
                name="Camiseta escolar com brasão",
                code="18330000-1",
                unit="peça",
                price="32.50",
                currency="BRL",
                motif="blocks",
                colour=(30, 80, 170),
            ),
        ),
    ),
    CatalogueSpec(
        supplier="maya",
        description=(
            "Maya stoneworkers of San Antonio, Toledo: cut limestone, slate carving and "
            "dry-stone walls for public buildings, parks and monuments."
        ),
        codes=(("CPV", "14000000-1"), ("CPV", "45262500-6")),
        regions=(
            ("BZ", "Toledo District"),
            ("BZ", "Stann Creek District"),
            ("BZ", "Cayo District"),
        ),
        capacity="A crew of 12 masons; a quarry of our own.",
        max_contract_value="150000",
        currency="BZD",
        lead_time_days=21,
        items=(
            ItemSpec(
                kind="goods",
                name="Cut limestone block",
                code="14212000-0",
                unit="cubic foot",
                price="65",
                currency="BZD",
                motif="blocks",
                colour=(200, 190, 160),
            ),
            ItemSpec(
                kind="works",
                name="Dry-stone wall",
                code="45262500-6",
                unit="linear foot",
                price="120",
                currency="BZD",
                motif="stripes",
                colour=(120, 110, 95),
            ),
        ),
    ),
    # Filled in but not yet published: only its own people see it.
    CatalogueSpec(
        supplier="pinhao",
        description="Desenvolvimento de sistemas web e suporte de TI para prefeituras.",
        codes=(("CPV", "72000000-5"),),
        regions=(("BR", "Paraná"),),
        items=(
            ItemSpec(
                kind="services",
                name="Suporte técnico mensal",
                code="72611000-6",
                unit="mês",
                price="4800",
                currency="BRL",
            ),
        ),
        publish=False,
    ),
)


def draw_photo(motif: str, colour: tuple[int, int, int], seed: int) -> bytes:
    """A simple picture (JPEG) of `motif` in `colour`, varied by `seed`."""
    width, height = 960, 720
    image = Image.new("RGB", (width, height), (236, 240, 243))
    draw = ImageDraw.Draw(image)
    shade = tuple(max(0, c - 50) for c in colour)
    if motif == "rounds":
        for row in range(3):
            for col in range(4):
                x, y = 140 + col * 220 + (seed * 13 + row * 40) % 60, 150 + row * 200
                draw.ellipse((x - 80, y - 70, x + 80, y + 70), fill=colour, outline=shade, width=6)
    elif motif == "stripes":
        draw.rectangle((0, height // 3, width, 2 * height // 3), fill=(70, 70, 75))
        for index in range(6):
            x = 40 + index * 160 + seed % 40
            draw.rectangle((x, height // 2 - 12, x + 100, height // 2 + 12), fill=colour)
    elif motif == "cone":
        draw.polygon(
            [(width // 2, 80), (width // 2 - 200, 620), (width // 2 + 200, 620)],
            fill=colour,
            outline=shade,
        )
        draw.rectangle((width // 2 - 140, 420, width // 2 + 140, 470), fill=(250, 250, 250))
        draw.rectangle((width // 2 - 300, 620, width // 2 + 300, 660), fill=shade)
    else:  # blocks
        for index in range(5):
            x = 80 + index * 165
            top = 200 + (seed * 31 + index * 57) % 200
            draw.rectangle((x, top, x + 140, 640), fill=colour, outline=shade, width=8)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def build_catalogues(*, suppliers: dict[str, tuple[Organization, User]]) -> int:
    """Fill in the demo's catalogues through the services; how many were published."""
    published = 0
    for spec in CATALOGUES:
        if spec.supplier not in suppliers:
            continue
        organization, user = suppliers[spec.supplier]
        actor = Actor(user=user, organization=organization, channel="command")
        services.catalogue_profile_save(
            actor=actor,
            supplier=organization,
            data=services.ProfileData(
                description=spec.description,
                capacity=spec.capacity,
                max_contract_value=Decimal(spec.max_contract_value)
                if spec.max_contract_value
                else None,
                capacity_currency=spec.currency,
                lead_time_days=spec.lead_time_days,
                codes=list(spec.codes),
                regions=list(spec.regions),
            ),
        )
        for index, item in enumerate(spec.items):
            photo = (
                SimpleUploadedFile(
                    f"{spec.supplier}-{index}.jpg", draw_photo(item.motif, item.colour, index)
                )
                if item.motif
                else None
            )
            services.catalogue_item_add(
                actor=actor,
                supplier=organization,
                data=services.ItemData(
                    kind=item.kind,
                    name=item.name,
                    description=item.description,
                    classification_scheme=item.scheme,
                    classification_code=item.code,
                    unit=item.unit,
                    price=Decimal(item.price) if item.price else None,
                    currency=item.currency,
                ),
                photo=photo,
            )
        if spec.publish:
            services.catalogue_publish(actor=actor, supplier=organization)
            published += 1
    return published
