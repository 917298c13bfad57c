from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    SUPPLIER = "supplier", _("Supplier")
    OVERSIGHT = "oversight", _("Oversight body")
    OPERATOR = "operator", _("Platform operator")


class Scale(models.TextChoices):
    """Supplier size, as in the OCDS partyDetails_scale extension (plus self-employed)."""

    MICRO = "micro", _("Micro enterprise")
    SMALL = "small", _("Small enterprise")
    MEDIUM = "medium", _("Medium enterprise")
    LARGE = "large", _("Large enterprise")
    SELF_EMPLOYED = "selfEmployed", _("Self-employed")


class BuyerType(models.TextChoices):
    MINISTRY = "ministry", _("Ministry or national agency")
    MUNICIPALITY = "municipality", _("Municipality or regional government")
    HOSPITAL = "hospital", _("Hospital or health service")
    UNIVERSITY = "university", _("University or school")
    STATE_COMPANY = "state_company", _("State-owned company")
    OTHER = "other", _("Other public body")


class ApiScope(models.TextChoices):
    """What an organization API key may do on the organization's behalf."""

    TENDERS_READ = "tenders:read", _("Read the organization's tenders, drafts included")
    TENDERS_WRITE = "tenders:write", _("Draft, publish, amend and cancel tenders")
    QUESTIONS_ASK = "questions:ask", _("Ask clarification questions")
    QUESTIONS_ANSWER = "questions:answer", _("Answer clarification questions")
