"""factory_boy factories: one per organization kind and one per tender lifecycle state.

Tenders in a state past draft are built through the services (publish, close, cancel) at a
chosen moment of the platform clock, so their rows are exactly what users would produce.

Drafts come with an opening committee (3 members, 2 needed) whose members' X25519 keys are
made here: `private_key_of` gives back the private key of any key this module made, so tests
can decrypt what was sealed to a committee. `TenderDraftFactory(committee=False)` makes a
draft without one; `committee=(n, k)` another size.

Tenders are awarded at the lowest price unless made with `criteria=WEIGHTED_CRITERIA` (or any
list of (name, kind, weight)), which gives them weighted criteria scored `proportional`.
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from typing import Any

import factory
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from django.utils import timezone

from pregon import rules
from pregon.accounts.models import Membership, User
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.identifiers import rut_with_check_digit
from pregon.organizations.models import Organization
from pregon.planning import services as planning_services
from pregon.planning.models import Plan, PlanLine
from pregon.publication.identifiers import PLAN_LINE_SERIES, ocid_for
from pregon.tenders import services
from pregon.tenders.models import (
    AwardCriterion,
    CommitteeKey,
    CommitteeMember,
    Item,
    Lot,
    Tender,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def verified(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)
            self.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    identifier_scheme = "CL-RUT"
    identifier_id = factory.Sequence(lambda n: rut_with_check_digit(60_000_000 + n))
    legal_name = factory.Sequence(lambda n: f"Organización {n}")
    country = "CL"
    region = "Región Metropolitana"


class BuyerFactory(OrganizationFactory):
    kind = "buyer"
    legal_name = factory.Sequence(lambda n: f"Ministerio de Obras {n}")
    buyer_type = "ministry"


class SupplierFactory(OrganizationFactory):
    kind = "supplier"
    legal_name = factory.Sequence(lambda n: f"Proveedora {n} SpA")
    scale = "small"
    is_cooperative = False
    # A cooperative is one by its legal form (a database constraint).
    legal_form = factory.LazyAttribute(
        lambda supplier: "cooperative" if supplier.is_cooperative else "company"
    )


class OversightFactory(OrganizationFactory):
    kind = "oversight"
    legal_name = factory.Sequence(lambda n: f"Contraloría {n}")


class OperatorFactory(OrganizationFactory):
    kind = "operator"
    legal_name = "Pregón operator"


def member(organization: Organization, role: str, **user_fields: Any) -> User:
    """A new person holding `role` in `organization`."""
    user = UserFactory(**user_fields)
    Membership.objects.create(user=user, organization=organization, role=role)
    return user


def actor_for(user: User, organization: Organization) -> Actor:
    return Actor(user=user, organization=organization, ip_address="192.0.2.1")


# The private keys of every committee key made here, by fingerprint.
_PRIVATE_KEYS: dict[str, bytes] = {}


def totp_code(secret: str) -> str:
    """What a person's authenticator app shows now. Like a person who sees the code about to
    change, it waits for the next one rather than send a code the server may receive late."""
    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 5:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, next(iter(yield_hotp_counters_from_time()))))


def key_pair() -> tuple[bytes, bytes]:
    """A new X25519 key pair as raw bytes: (private, public)."""
    private = X25519PrivateKey.generate()
    return private.private_bytes_raw(), private.public_key().public_bytes_raw()


def committee_key(
    organization: Organization, user: User | None = None
) -> tuple[CommitteeKey, bytes]:
    """An active opening key of a committee member of `organization` (a new person unless
    `user` is given; any active key they had there is revoked), and its raw private key."""
    if user is None:
        user = member(organization, "committee_member")
    private_raw, public_raw = key_pair()
    CommitteeKey.objects.filter(
        user=user, organization=organization, revoked_at__isnull=True
    ).update(revoked_at=clock.now())
    key = CommitteeKey.objects.create(
        user=user,
        organization=organization,
        public_key=public_raw,
        fingerprint=services.fingerprint_of(public_raw),
    )
    _PRIVATE_KEYS[key.fingerprint] = private_raw
    return key, private_raw


def private_key_of(key: CommitteeKey | CommitteeMember | str) -> bytes:
    """The raw private key of a key made here (a key, a committee member, or a fingerprint)."""
    fingerprint = key if isinstance(key, str) else key.fingerprint
    return _PRIVATE_KEYS[fingerprint]


def committee_name(
    tender: Tender, *, members: int = 3, threshold: int = 2
) -> list[tuple[CommitteeMember, bytes]]:
    """Give a draft an opening committee of `members` people with `threshold` needed, written
    directly as the draft's lots are. The buyer's committee members with a key made here are
    named first; more are created as needed. Returns each member with its private key."""
    reusable = [
        key
        for key in CommitteeKey.objects.filter(
            organization=tender.buyer,
            revoked_at__isnull=True,
            user__memberships__organization=tender.buyer,
            user__memberships__role="committee_member",
        ).order_by("id")
        if key.fingerprint in _PRIVATE_KEYS
    ][:members]
    keys = reusable + [committee_key(tender.buyer)[0] for _ in range(members - len(reusable))]
    CommitteeMember.objects.filter(tender=tender).delete()
    named = [
        CommitteeMember.objects.create(
            tender=tender,
            position=position,
            user=key.user,
            public_key=bytes(key.public_key),
            fingerprint=key.fingerprint,
        )
        for position, key in enumerate(keys, start=1)
    ]
    Tender.objects.filter(pk=tender.pk).update(opening_threshold=threshold)
    tender.opening_threshold = threshold
    return [
        (committee_member, _PRIVATE_KEYS[committee_member.fingerprint])
        for committee_member in named
    ]


#: Weighted award criteria a test can give a tender: (name, kind, weight).
WEIGHTED_CRITERIA = [
    ("Precio ofertado", "price", 60),
    ("Experiencia del equipo", "quality", 30),
    ("Plazo de entrega", "quality", 10),
]


def weighted_criteria(
    tender: Tender, rows: list[tuple[str, str, int]], price_scoring: str = "proportional"
) -> None:
    """Give a draft weighted criteria, as `tender_update` would have stored them."""
    AwardCriterion.objects.filter(tender=tender).delete()
    AwardCriterion.objects.bulk_create(
        AwardCriterion(tender=tender, position=position, name=name, kind=kind, weight=weight)
        for position, (name, kind, weight) in enumerate(rows, start=1)
    )
    Tender.objects.filter(pk=tender.pk).update(
        award_criteria="ratedCriteria", price_scoring=price_scoring
    )
    tender.award_criteria, tender.price_scoring = "ratedCriteria", price_scoring


UNDIVIDED_REASON = "Un solo proveedor debe responder por la garantía de todo el equipamiento."


class TenderDraftFactory(factory.django.DjangoModelFactory):
    """A draft with one lot of two items, publishable as it is."""

    class Meta:
        model = Tender
        skip_postgeneration_save = True

    buyer = factory.SubFactory(BuyerFactory)
    reference = factory.Sequence(lambda n: f"LIC-2026-{n:04d}")
    ocid = factory.Sequence(lambda n: f"ocds-pregon-t{n:06d}")
    title = factory.Sequence(lambda n: f"Adquisición de computadores {n}")
    description = "Computadores de escritorio para oficinas regionales, con garantía de 3 años."
    language = "es"
    method = "open"
    category = "goods"
    estimated_value = Decimal("150000.00")
    currency = "CLP"
    award_criteria = "priceOnly"
    enquiry_end = factory.LazyFunction(lambda: clock.now() + dt.timedelta(days=10))
    submission_deadline = factory.LazyFunction(lambda: clock.now() + dt.timedelta(days=20))
    opening_at = factory.LazyAttribute(lambda o: o.submission_deadline + dt.timedelta(hours=1))
    # Publishable as it is: where the buyer's rule pack asks a single-lot tender why it is not
    # divided (GENERIC, for countries without a pack of their own), the draft says why.
    undivided_reason = factory.LazyAttribute(
        lambda o: (
            UNDIVIDED_REASON
            if rules.divide_or_explain(
                rules.pack_for_country(str(o.buyer.country)),
                value=rules.Money(amount=o.estimated_value, currency=o.currency),
                lots=1,
                rates={},
            )
            else ""
        )
    )

    @factory.post_generation
    def lots(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        count = 1 if extracted is None else extracted
        for number in range(1, count + 1):
            lot = Lot.objects.create(tender=self, number=number, title=f"Lote {number}")
            Item.objects.create(
                lot=lot,
                description="Computador de escritorio",
                classification_scheme="CPV",
                classification_code="30213000-5",
                quantity=Decimal(40),
                unit="unidad",
            )
            Item.objects.create(
                lot=lot,
                description="Monitor de 24 pulgadas",
                classification_scheme="UNSPSC",
                classification_code="43211902",
                quantity=Decimal(40),
                unit="unidad",
            )

    @factory.post_generation
    def committee(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create or extracted is False:
            return
        members, threshold = (3, 2) if extracted in (None, True) else extracted
        committee_name(self, members=members, threshold=threshold)

    @factory.post_generation
    def criteria(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            weighted_criteria(self, list(extracted))


def _buyer_actor(tender: Tender) -> Actor:
    official = Membership.objects.filter(organization=tender.buyer, role="buyer_official").first()
    user = official.user if official else member(tender.buyer, "buyer_official")
    return Actor(user=user, organization=tender.buyer, channel="command")


class TenderOpenFactory(TenderDraftFactory):
    """Published now, deadline in 20 days."""

    @factory.post_generation
    def published(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            services.tender_publish(actor=_buyer_actor(self), tender=self)
            self.refresh_from_db()


class TenderClosedFactory(TenderDraftFactory):
    """Published 30 days ago; its deadline passed yesterday and the worker closed it."""

    enquiry_end = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=5))
    submission_deadline = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))

    @factory.post_generation
    def published(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            with clock.at(timezone.now() - dt.timedelta(days=30)):
                services.tender_publish(actor=_buyer_actor(self), tender=self)
            services.tender_close_if_due(tender_id=self.pk)
            self.refresh_from_db()


class TenderCancelledFactory(TenderOpenFactory):
    @factory.post_generation
    def cancelled(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            services.tender_cancel(
                actor=_buyer_actor(self),
                tender=self,
                reason="La necesidad fue cubierta por un convenio marco.",
            )
            self.refresh_from_db()


# ---------------------------------------------------------------------------------------------
# procurement plans


class PlanDraftFactory(factory.django.DjangoModelFactory):
    """A buyer's draft plan for next year, with `lines` draft lines (one unless told)."""

    class Meta:
        model = Plan
        skip_postgeneration_save = True

    buyer = factory.SubFactory(BuyerFactory)
    year = factory.LazyFunction(lambda: clock.now().year + 1)
    title = factory.LazyAttribute(lambda plan: f"Plan anual de compras {plan.year}")
    description = "Lo que el ministerio espera comprar, trimestre a trimestre."
    language = "es"

    @factory.post_generation
    def lines(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        for _ in range(1 if extracted is None else extracted):
            PlanLineDraftFactory(plan=self)


class PlanLineDraftFactory(factory.django.DjangoModelFactory):
    """A draft line of a plan: computers, CPV 30213000-5, in the second quarter."""

    class Meta:
        model = PlanLine
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanDraftFactory, lines=0)
    number = factory.LazyAttribute(lambda line: line.plan.lines.count() + 1)
    description = factory.Sequence(lambda n: f"Computadores para escuelas rurales {n}")
    classification_scheme = "CPV"
    classification_code = "30213000-5"
    estimated_value = Decimal("120000000.00")
    currency = "CLP"
    quarter = 2
    method = "open"
    category = "goods"
    reserved = False

    @factory.post_generation
    def ocid(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.ocid = ocid_for(self.pk, series=PLAN_LINE_SERIES)
            self.save(update_fields=["ocid"])


class PlanPublishedFactory(PlanDraftFactory):
    """A plan published now through the service, its lines with it."""

    @factory.post_generation
    def published(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            official = Membership.objects.filter(
                organization=self.buyer, role="buyer_official"
            ).first()
            user = official.user if official else member(self.buyer, "buyer_official")
            actor = Actor(user=user, organization=self.buyer, channel="command")
            planning_services.plan_publish(actor=actor, plan=self)
            self.refresh_from_db()
