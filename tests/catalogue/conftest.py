"""Fixtures of the catalogue tests: photos drawn on the spot, and a catalogue filled in."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pregon.catalogue import services
from pregon.catalogue.models import CatalogueProfile
from pregon.core.actor import Actor
from tests.bids.conftest import _log_key

__all__ = ["_log_key"]


def image_bytes(
    size: tuple[int, int] = (1200, 900), fmt: str = "JPEG", *, exif: bool = False
) -> bytes:
    """An image drawn here: two colour blocks (so it compresses like a photo would not)."""
    image = Image.new("RGB", size, (30, 90, 160))
    image.paste((220, 180, 40), (0, 0, size[0] // 2, size[1] // 2))
    buffer = io.BytesIO()
    kwargs: dict[str, Any] = {}
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "SecretCam"  # Make
        tags[0x0131] = "tracker-1.0"  # Software
        kwargs["exif"] = tags.tobytes()
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def upload(
    name: str = "photo.jpg", content: bytes | None = None, **kwargs: Any
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(**kwargs) if content is None else content)


def profile_data(**fields: Any) -> services.ProfileData:
    values: dict[str, Any] = {
        "description": "Fabricamos mobiliario escolar de madera certificada.",
        "capacity": "2.000 sillas al mes.",
        "max_contract_value": Decimal("150000000"),
        "capacity_currency": "CLP",
        "lead_time_days": 30,
        "codes": [("CPV", "39160000-1")],
        "regions": [("CL", "Valparaíso"), ("CL", "")],
    }
    values.update(fields)
    return services.ProfileData(**values)


def item_data(**fields: Any) -> services.ItemData:
    values: dict[str, Any] = {
        "kind": "goods",
        "name": "Silla escolar",
        "classification_scheme": "CPV",
        "classification_code": "39160000-1",
        "unit": "unidad",
        "price": Decimal("25990"),
        "currency": "CLP",
    }
    values.update(fields)
    return services.ItemData(**values)


@pytest.fixture
def catalogue(supplier: Any, supplier_actor: Actor) -> CatalogueProfile:
    """The supplier's catalogue, filled in and published."""
    services.catalogue_profile_save(actor=supplier_actor, supplier=supplier, data=profile_data())
    return services.catalogue_publish(actor=supplier_actor, supplier=supplier)
