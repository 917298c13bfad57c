"""The alerts API's input and output."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from pregon.alerts.choices import (
    MAX_BUYERS,
    MAX_CODES,
    MAX_KEYWORDS,
    MAX_REGIONS,
    VALUE_LIMIT,
    DeliveryStatus,
)
from pregon.alerts.models import Delivery, DeliveryAttempt, WebhookEndpoint
from pregon.alerts.services.subscriptions import SubscriptionData

FrequencyName = Literal["immediate", "daily", "none"]
LanguageName = Literal["en", "es", "pt-br", "fr"]
SchemeName = Literal["CPV", "UNSPSC"]


class CodeIn(Schema):
    scheme: SchemeName = Field("CPV", description="The classification scheme.")
    code: str = Field(
        max_length=20,
        description="2 to 8 digits of a code: a group finds its descendants (4521, 45210000).",
    )


class SubscriptionIn(Schema):
    """What to follow (at least one of codes, keywords, regions, buyers, or reserved_msme)
    and how to hear of it."""

    name: str = Field(max_length=120, description="A name the owner chooses.")
    codes: list[CodeIn] = Field(default_factory=list, max_length=MAX_CODES)
    keywords: list[str] = Field(
        default_factory=list,
        max_length=MAX_KEYWORDS,
        description="Words or phrases, in any of the four languages (stemmed and folded).",
    )
    regions: list[str] = Field(
        default_factory=list, max_length=MAX_REGIONS, description="Regions of the buyer."
    )
    buyers: list[str] = Field(
        default_factory=list, max_length=MAX_BUYERS, description="Buyers' OCDS party ids."
    )
    value_min: Decimal | None = Field(None, ge=0, le=VALUE_LIMIT)
    value_max: Decimal | None = Field(None, ge=0, le=VALUE_LIMIT)
    reserved_msme: bool = Field(False, description="Only tenders reserved for MSMEs.")
    frequency: FrequencyName = Field(
        "immediate", description="E-mails: one per notice, a daily digest, or none."
    )
    language: LanguageName = Field("en", description="The language of the e-mails.")
    webhook_id: int | None = Field(None, description="One of the owner's webhooks.")
    email: str = Field(
        "",
        max_length=254,
        description=(
            "For an organization (API key): the address of the e-mails, confirmed by a link "
            "sent to it. A signed-in person's e-mails go to their own address."
        ),
    )

    def to_data(self) -> SubscriptionData:
        return SubscriptionData(
            name=self.name,
            codes=tuple((entry.scheme, entry.code) for entry in self.codes),
            keywords=tuple(self.keywords),
            regions=tuple(self.regions),
            buyers=tuple(self.buyers),
            value_min=self.value_min,
            value_max=self.value_max,
            reserved_msme=self.reserved_msme,
            frequency=self.frequency,
            language=self.language,
            webhook_id=self.webhook_id,
            email=self.email,
        )


class CodeOut(Schema):
    scheme: str
    code: str


class SubscriptionOut(Schema):
    id: int
    name: str
    status: str = Field(description="pending (address to confirm), active or unsubscribed.")
    email: str
    codes: list[CodeOut]
    keywords: list[str]
    regions: list[str]
    buyers: list[str]
    value_min: Decimal | None
    value_max: Decimal | None
    reserved_msme: bool
    frequency: str
    language: str
    webhook_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime


class WebhookIn(Schema):
    url: str = Field(max_length=500, description="The https:// address that receives notices.")
    description: str = Field("", max_length=200)


class WebhookOut(Schema):
    id: int
    url: str
    description: str
    created_at: dt.datetime

    @staticmethod
    def of(endpoint: WebhookEndpoint) -> WebhookOut:
        return WebhookOut(
            id=endpoint.pk,
            url=endpoint.url,
            description=endpoint.description,
            created_at=endpoint.created_at,
        )


class WebhookSecretOut(WebhookOut):
    secret: str = Field(
        description="The key of the HMAC-SHA256 signatures; shown only now, keep it safe."
    )


class AttemptOut(Schema):
    attempted_at: dt.datetime
    succeeded: bool
    status_code: int | None
    error: str
    duration_ms: int

    @staticmethod
    def of(attempt: DeliveryAttempt) -> AttemptOut:
        return AttemptOut(
            attempted_at=attempt.attempted_at,
            succeeded=attempt.succeeded,
            status_code=attempt.status_code,
            error=attempt.error,
            duration_ms=attempt.duration_ms,
        )


class DeliveryOut(Schema):
    id: str = Field(description="The X-Pregon-Delivery header of its requests.")
    event: str
    ocid: str
    release_id: str
    subscription_id: int
    status: str = Field(description="pending, sending, sent or failed (no more attempts).")
    attempts: int
    next_attempt_at: dt.datetime | None
    sent_at: dt.datetime | None
    last_error: str
    created_at: dt.datetime
    tries: list[AttemptOut]

    @staticmethod
    def resolve_id(delivery: Delivery) -> str:
        return delivery.public_id

    @staticmethod
    def resolve_next_attempt_at(delivery: Delivery) -> dt.datetime | None:
        return delivery.next_attempt_at if delivery.status == DeliveryStatus.PENDING else None

    @staticmethod
    def resolve_tries(delivery: Delivery) -> list[AttemptOut]:
        return [AttemptOut.of(attempt) for attempt in delivery.tries.all()]
