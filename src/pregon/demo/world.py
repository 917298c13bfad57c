"""Building the whole demo world, in the order its history happened.

Only the operator organization and the first platform administrator are written directly
(someone has to exist before anyone can act). Everything else goes through the services that
pages and the API use, each at a moment of the platform clock in the past, so the audit log,
the state machine and every timestamp are exactly what real use would have produced.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _

from pregon.accounts import services as accounts
from pregon.accounts.choices import OrganizationKind, Role
from pregon.accounts.models import Membership, User
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.demo.accounts import DEMO_PASSWORD
from pregon.demo.awards import NOT_SENT, AwardTally, award_tally, standstill_problems
from pregon.demo.catalogue import build_catalogues
from pregon.demo.content import TENDERS
from pregon.demo.contracts import ContractTally, contract_tally
from pregon.demo.keys import DemoKey, demo_key_make, key_files_write
from pregon.demo.organizations import (
    BUYERS,
    CONSORTIA,
    OPERATOR_ADMIN,
    OVERSIGHT,
    SUPPLIERS,
    BuyerSpec,
    ConsortiumSpec,
    Person,
    SupplierSpec,
)
from pregon.demo.plans import build_plans
from pregon.demo.quotes import build_open_quick_quote, build_quick_quotes
from pregon.demo.subcontracting import build_subcontracting
from pregon.demo.supplier_documents import documents_hold, figures_of, legal_form_of
from pregon.demo.tenders import TenderTally, build_tenders
from pregon.evaluation.selectors import complaints_decided_by_oversight
from pregon.organizations import services as organizations
from pregon.organizations import services_consortia as consortia
from pregon.organizations.emails import consortium_invite_notify
from pregon.organizations.models import Organization
from pregon.tenders import services as tender_services

# The same seed gives the same world (apart from dates, which follow the day it is built).
SEED = 2006  # the year of AG/RES. 2255, which asked for e-procurement open to MSMEs
DAY = dt.timedelta(days=1)


class DemoPasswordHasher(Argon2PasswordHasher):
    """Argon2 at a low cost, for demo accounts only, whose password is published anyway.

    Hashing forty-four passwords at the production cost would take most of the demo's time.
    The hashes keep the "argon2" name and carry their parameters, so the regular hasher
    verifies them and, finding the cost below its own, re-hashes at full cost at the first
    sign-in.
    """

    time_cost = 1
    memory_cost = 8192
    parallelism = 1


@dataclass(frozen=True)
class DemoSummary:
    buyers: int
    countries: int
    people: int
    suppliers: int
    tenders: TenderTally
    awards: AwardTally
    contracts: ContractTally
    # Where the committee members' key files were written, and how many.
    key_files: Path
    committee_keys: int
    seconds: float


def history_problems(*, today: dt.datetime | None = None) -> list[str]:
    """Why the demo's history does not fit this platform's settings (empty when it fits): its
    complaints must fall in their standstill periods, its contracts after them."""
    today = today or timezone.now()
    buyers = {spec.key: spec for spec in BUYERS}
    return [
        problem
        for spec in TENDERS
        for problem in standstill_problems(spec=spec, buyer=buyers[spec.buyer], today=today)
    ]


def build_demo(*, progress: Callable[[str], None]) -> DemoSummary:
    """Build the demo world in one transaction: all of it or, on any error, none of it."""
    started = time.monotonic()
    today = timezone.now().replace(second=0, microsecond=0)
    problems = history_problems(today=today)
    if problems:
        raise ValueError(" ".join(problems))
    rng = random.Random(SEED)  # noqa: S311 (deterministic demo data, not security)
    hashers = list(settings.PASSWORD_HASHERS)
    if hashers[0].endswith(".Argon2PasswordHasher"):
        hashers.insert(0, f"{__name__}.DemoPasswordHasher")
    with override_settings(PASSWORD_HASHERS=hashers), transaction.atomic():
        progress(_("Platform operator and its administrator…"))
        operator, admin = _bootstrap(today - 280 * DAY)
        admin_actor = Actor(user=admin, organization=operator, channel="command")

        progress(_("Oversight body and buyers in Chile, Brazil and Belize…"))
        buyers: dict[str, Organization] = {}
        officials: dict[str, User] = {}
        moment = today - 260 * DAY
        oversight = _organization(admin_actor, OVERSIGHT, OrganizationKind.OVERSIGHT, moment)
        auditor = _person(OVERSIGHT.official, moment)
        _grant(admin_actor, oversight, auditor, Role.AUDITOR, moment + dt.timedelta(hours=2))
        committees: dict[str, list[User]] = {}
        keys: dict[int, DemoKey] = {}
        people = 2
        for index, spec in enumerate(BUYERS):
            moment = today - (258 - index) * DAY
            buyers[spec.key] = _organization(admin_actor, spec, OrganizationKind.BUYER, moment)
            officials[spec.key] = _person(spec.official, moment)
            committees[spec.key] = [_person(person, moment) for person in spec.committee]
            later = moment + dt.timedelta(hours=3)
            _grant(admin_actor, buyers[spec.key], officials[spec.key], Role.BUYER_OFFICIAL, later)
            for member in committees[spec.key]:
                _grant(admin_actor, buyers[spec.key], member, Role.COMMITTEE_MEMBER, later)
            for minutes, member in enumerate(committees[spec.key], start=1):
                keys[member.pk] = _register_opening_key(
                    member, buyers[spec.key], later + dt.timedelta(hours=1, minutes=minutes)
                )
            people += 1 + len(committees[spec.key])

        progress(_("Thirty suppliers registering themselves…"))
        suppliers: dict[str, tuple[Organization, User]] = {}
        for index, supplier in enumerate(SUPPLIERS):
            # Every supplier is registered before the first tender of the demo (157 days ago).
            moment = today - (230 - 2 * index) * DAY + rng.randrange(8, 18) * dt.timedelta(hours=1)
            suppliers[supplier.key] = _register(supplier, moment)
            organization, user = suppliers[supplier.key]
            documents_hold(
                spec=supplier,
                organization=organization,
                person=Actor(user=user, organization=organization, channel="command"),
                admin=admin_actor,
                moment=moment,
                today=today,
                index=index,
            )
        # A consortium bids as one supplier: `suppliers` names it too, acted for by the lead's
        # person.
        progress(_("Suppliers forming a consortium…"))
        for consortium in CONSORTIA:
            suppliers[consortium.key] = _consortium(consortium, suppliers, today)

        # Before the first tender: the releases of the demo are published in time order.
        progress(_("Buyers publishing their procurement plans for next year…"))
        build_plans(today=today, buyers=buyers, officials=officials)
        build_quick_quotes(today=today, buyers=buyers, officials=officials, suppliers=suppliers)
        build_catalogues(suppliers=suppliers)  # suppliers' shop windows (pregon.catalogue)

        progress(
            _(
                "Tenders: drafts, publications, questions, amendments, sealed bids, deadlines, "
                "openings, evaluations, awards, complaints, contracts, invoices and payments…"
            )
        )
        # Complaints are decided by the buyer's official, or by the oversight body's auditor.
        decider = None
        if complaints_decided_by_oversight():
            decider = Actor(user=auditor, organization=oversight, channel="command")
        tally = build_tenders(
            today=today,
            rng=rng,
            buyers=buyers,
            officials=officials,
            committees=committees,
            keys=keys,
            suppliers=suppliers,
            complaint_decider=decider,
            progress=lambda line: progress(f"  {line}"),
        )
        build_open_quick_quote(
            now=timezone.now(), buyers=buyers, officials=officials, suppliers=suppliers
        )
        # Last: its releases come after every other release of the demo.
        progress(_("A prime contractor subcontracting part of its contract to a micro firm…"))
        build_subcontracting(now=timezone.now())
        awards, contracts = award_tally(), contract_tally()
    # Written once the world is stored: a failed build leaves no key file of keys never used.
    key_files = key_files_write(keys.values())
    return DemoSummary(
        buyers=len(buyers),
        countries=len({spec.country for spec in BUYERS}),
        people=people + len(SUPPLIERS),
        suppliers=len(SUPPLIERS),
        tenders=tally,
        awards=awards,
        contracts=contracts,
        key_files=key_files,
        committee_keys=len(keys),
        seconds=time.monotonic() - started,
    )


def _bootstrap(moment: dt.datetime) -> tuple[Organization, User]:
    """The operator and its first administrator: the one thing no service can create."""
    operator = Organization.objects.create(
        kind=OrganizationKind.OPERATOR,
        identifier_scheme="XI-PREGON",
        identifier_id="DEMO",
        legal_name="Pregón demonstration instance",
        name="Pregón (demo)",
        country="CL",
        locality="Santiago",
        description="The operator of this demonstration instance of Pregón.",
        created_at=moment,
        updated_at=moment,
    )
    admin = _person(OPERATOR_ADMIN, moment, is_staff=True, is_superuser=True)
    Membership.objects.create(
        user=admin, organization=operator, role=Role.ADMINISTRATOR, created_at=moment
    )
    return operator, admin


def _person(person: Person, moment: dt.datetime, **flags: bool) -> User:
    """A demo user with a verified address (as if the link in the e-mail had been followed)."""
    user = User.objects.create_user(
        person.email,
        DEMO_PASSWORD,
        full_name=person.full_name,
        language=person.language,
        mfa_waived=True,
        date_joined=moment,
        **flags,
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


def _organization(actor: Actor, spec: BuyerSpec, kind: str, moment: dt.datetime) -> Organization:
    data = organizations.OrganizationData(
        identifier_scheme=spec.scheme,
        identifier_id=spec.identifier,
        legal_name=spec.legal_name,
        name=spec.name,
        country=spec.country,
        region=spec.region,
        locality=spec.locality,
        street_address=spec.street_address,
        postal_code=spec.postal_code,
        email=spec.email,
        telephone=spec.telephone,
        website=spec.website,
        description=spec.description,
        time_zone=spec.timezone,
        buyer_type=spec.buyer_type,
    )
    with clock.at(moment):
        return organizations.organization_create(actor=actor, kind=kind, data=data)


def _grant(
    actor: Actor, organization: Organization, user: User, role: str, moment: dt.datetime
) -> None:
    with clock.at(moment):
        accounts.membership_grant(actor=actor, organization=organization, user=user, role=role)


def _register_opening_key(member: User, buyer: Organization, moment: dt.datetime) -> DemoKey:
    """A committee member makes a key pair and its key file (passphrase: the demo password) on
    their device, and registers the public key."""
    key = demo_key_make(member.email, DEMO_PASSWORD)
    actor = Actor(user=member, organization=buyer, channel="command")
    with clock.at(moment):
        tender_services.committee_key_register(actor=actor, public_key=key.public_key)
    return key


def _register(spec: SupplierSpec, moment: dt.datetime) -> tuple[Organization, User]:
    """A supplier registers itself, then its user confirms the e-mail address."""
    employees, turnover = figures_of(spec)
    registration = organizations.SupplierRegistration(
        email=spec.user.email,
        password=DEMO_PASSWORD,
        full_name=spec.user.full_name,
        language=spec.user.language,
        organization=organizations.OrganizationData(
            identifier_scheme=spec.scheme,
            identifier_id=spec.identifier,
            legal_name=spec.legal_name,
            name=spec.name,
            country=spec.country,
            region=spec.region,
            locality=spec.locality,
            email=spec.user.email,
            description=spec.description,
            legal_form=legal_form_of(spec),
            scale=spec.scale,
            employees=employees,
            annual_turnover=turnover,
            women_owned=spec.women_owned,
            indigenous_owned=spec.indigenous_owned,
            is_local=spec.is_local,
        ),
    )
    with clock.at(moment):
        user = organizations.supplier_register(
            actor=Actor(user=None, channel="command"), registration=registration
        )
    EmailAddress.objects.filter(user=user).update(verified=True)
    User.objects.filter(pk=user.pk).update(mfa_waived=True, date_joined=moment)
    organization = Organization.objects.get(memberships__user=user)
    return organization, user


def _consortium(
    spec: ConsortiumSpec, suppliers: dict[str, tuple[Organization, User]], today: dt.datetime
) -> tuple[Organization, User]:
    """The lead member's person forms the consortium on the platform and invites the others
    (the invitations e-mailed at once, to nowhere: the demo's past); each invited member's
    person accepts the next day, the last acceptance forming it. Returns the consortium and the
    person who acts for it."""
    lead, person = suppliers[spec.lead]
    zone = ZoneInfo(lead.effective_time_zone)
    day = today.astimezone(zone).date() - spec.formed_days_ago * DAY
    moment = dt.datetime.combine(day, dt.time(10, 20), tzinfo=zone)
    data = consortia.ConsortiumData(
        name=spec.name,
        description=spec.description,
        lead_share=spec.lead_share,
        members=[
            consortia.InvitedMember(
                identifier_scheme=suppliers[key][0].identifier_scheme,
                identifier_id=suppliers[key][0].identifier_id,
                share=share,
            )
            for key, share in spec.members
        ],
    )
    with clock.at(moment):
        consortium = consortia.consortium_form(
            actor=Actor(user=person, organization=lead, channel="command"), lead=lead, data=data
        )
    invitations = {m.member_id: m for m in consortium.members.filter(is_lead=False)}
    # What the task worker does a minute later; the task enqueued on commit finds them sent.
    with clock.at(moment + dt.timedelta(minutes=1)), override_settings(MAILERS=NOT_SENT):
        for invitation in invitations.values():
            consortium_invite_notify(member_id=invitation.pk)
    for number, (key, _share) in enumerate(spec.members):
        member, user = suppliers[key]
        with clock.at(moment + DAY - dt.timedelta(hours=1) + number * dt.timedelta(minutes=40)):
            consortia.consortium_answer(
                actor=Actor(user=user, organization=member, channel="command"),
                membership=invitations[member.pk],
                accept=True,
            )
    return Organization.objects.get(pk=consortium.organization_id), person
