"""factory_boy factories: one per organization kind and one per tender lifecycle state.

Tenders in a state past draft are built through the services (publish, close, cancel) at a
chosen moment of the platform clock, so their rows are exactly what users would produce.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from pregon.accounts.models import Membership, User
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.identifiers import rut_with_check_digit
from pregon.organizations.models import Organization
from pregon.tenders import services
from pregon.tenders.models import Item, Lot, Tender


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
