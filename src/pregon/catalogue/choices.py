"""The catalogue's vocabulary: limits, what its audit rows mean.

A catalogue is a draft until its supplier publishes it:

    draft ──publish──▶ published ──withdraw──▶ draft

Only a published catalogue (its description, capabilities, items and their photos) is shown to
anyone but the supplier's own people.
"""

from django.utils.translation import gettext_lazy as _

from pregon.core.audit_vocabulary import AuditVocabulary
from pregon.core.procurement import Category

#: How long texts may be.
DESCRIPTION_MAX_LENGTH = 5000
CAPACITY_MAX_LENGTH = 2000
ITEM_NAME_MAX_LENGTH = 200
ITEM_DESCRIPTION_MAX_LENGTH = 2000
UNIT_MAX_LENGTH = 40
REGION_MAX_LENGTH = 120
#: How many codes, regions and items one catalogue holds.
CODES_MAX = 30
REGIONS_MAX = 40
ITEMS_MAX = 200

#: Photos: the largest file accepted, the most pixels decoded (a small file that decodes into a
#: huge image, a "decompression bomb", is refused before it is decoded), the longest side kept
#: and the longest side of the thumbnail.
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_MAX_SIDE = 1600
THUMBNAIL_SIDE = 320
#: Extension of the upload -> the formats Pillow must find in it.
PHOTO_FORMATS: dict[str, frozenset[str]] = {
    ".jpg": frozenset({"JPEG", "MPO"}),
    ".jpeg": frozenset({"JPEG", "MPO"}),
    ".png": frozenset({"PNG"}),
    ".webp": frozenset({"WEBP"}),
}

#: The kinds of what a supplier offers are those of what is bought (goods, works, services).
ItemKind = Category

#: What the catalogue's audit rows mean (registered in `apps.py`, read by the audit page).
AUDIT_VOCABULARY = AuditVocabulary(
    actions={
        "catalogue.update": _("Supplier catalogue changed"),
        "catalogue.publish": _("Supplier catalogue published"),
        "catalogue.withdraw": _("Supplier catalogue withdrawn from view"),
        "catalogue_item.add": _("Product or service added to the catalogue"),
        "catalogue_item.update": _("Product or service of the catalogue changed"),
        "catalogue_item.remove": _("Product or service removed from the catalogue"),
    },
    summary_keys={
        "description": _("Description"),
        "capacity": _("Capacity"),
        "max_contract_value": _("Largest contract value"),
        "capacity_currency": _("Currency"),
        "lead_time_days": _("Usual delivery time (days)"),
        "codes": _("Classification codes"),
        "regions": _("Regions served"),
        "name": _("Name"),
        "kind": _("Kind"),
        "classification": _("Classification"),
        "unit": _("Unit"),
        "price": _("Indicative price"),
        "currency": _("Currency"),
        "photo": _("Photo"),
    },
    summary_choices={("catalogue.catalogueitem", "kind"): Category},
    owner_fields={
        "catalogue.catalogueprofile": "organization",
        "catalogue.catalogueitem": "profile__organization",
    },
)
