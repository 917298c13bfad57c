"""The vocabulary every stage of a procurement shares: how it is bought, what kind of thing it
is, its currency, its language, and the scheme its items are classified by.

Plans (`pregon.planning`) and tenders (`pregon.tenders`) both speak it, and the plans sit below
the tenders in the layer map (ADR 0019), so it lives here in the kernel; `tenders.choices`
offers the same names to the apps that import them from there.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    OPEN = "open", _("Open")
    SELECTIVE = "selective", _("Selective")
    LIMITED = "limited", _("Limited")
    DIRECT = "direct", _("Direct")
    RFQ = "rfq", _("Request for quotations")


#: The platform's methods in the closed OCDS `method` codelist (open, selective, limited,
#: direct). A request for quotations is advertised publicly and any registered supplier may
#: quote, so it is `open` (`procurementMethodDetails` says what it is).
OCDS_PROCUREMENT_METHOD = {
    Method.OPEN: "open",
    Method.SELECTIVE: "selective",
    Method.LIMITED: "limited",
    Method.DIRECT: "direct",
    Method.RFQ: "open",
}


class Category(models.TextChoices):
    GOODS = "goods", _("Goods")
    WORKS = "works", _("Works")
    SERVICES = "services", _("Services")


class ClassificationScheme(models.TextChoices):
    CPV = "CPV", _("Common Procurement Vocabulary (CPV)")
    UNSPSC = "UNSPSC", _("United Nations Standard Products and Services Code (UNSPSC)")


class Currency(models.TextChoices):
    """Currencies of the Americas the platform is used with, and the common reserve ones."""

    USD = "USD", "USD"
    CLP = "CLP", "CLP"
    BRL = "BRL", "BRL"
    MXN = "MXN", "MXN"
    COP = "COP", "COP"
    PYG = "PYG", "PYG"
    PEN = "PEN", "PEN"
    ARS = "ARS", "ARS"
    UYU = "UYU", "UYU"
    CAD = "CAD", "CAD"
    GTQ = "GTQ", "GTQ"
    CRC = "CRC", "CRC"
    DOP = "DOP", "DOP"
    BZD = "BZD", "BZD"
    JMD = "JMD", "JMD"
    TTD = "TTD", "TTD"
    EUR = "EUR", "EUR"


class ContentLanguage(models.TextChoices):
    EN = "en", _("English")
    ES = "es", _("Spanish")
    PT = "pt", _("Portuguese")
    FR = "fr", _("French")


def interface_language(content_language: str) -> str:
    """The interface language that writes texts in `content_language`: the interface's
    Portuguese is Brazil's, and "pt" alone would find no catalogue."""
    return "pt-br" if content_language == ContentLanguage.PT else content_language
