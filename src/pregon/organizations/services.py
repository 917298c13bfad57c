"""Every change to organizations, memberships and API keys goes through these functions."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from django_countries import countries

from pregon.accounts.choices import (
    API_KEY_REVOKER_ROLES,
    MANAGER_ROLES_BY_KIND,
    OTHER_MANAGER_ROLES,
    OrganizationKind,
    Role,
)
from pregon.accounts.models import Membership, User
from pregon.accounts.permissions import require_platform_admin, require_role
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import NotFound, PermissionDenied, ValidationFailed
from pregon.core.identifiers import id_is_valid, normalize_id, scheme_is_valid
from pregon.core.time_zones import time_zone_is_known
from pregon.organizations.choices import (
    PROFILE_FIELDS,
    PROFILE_TEXT_FIELDS,
    SUPPLIER_PROFILE_FIELDS,
    ApiScope,
    BuyerType,
    LegalForm,
)
from pregon.organizations.models import ApiKey, Organization
from pregon.organizations.services_consortia import consortia_rescale
from pregon.organizations.services_scale import ScaleData, scale_apply, scale_compute


@dataclass(kw_only=True)
class OrganizationData:
    """The public profile of an organization, as a form or the API gives it."""

    identifier_scheme: str
    identifier_id: str
    legal_name: str
    country: str
    name: str = ""
    street_address: str = ""
    locality: str = ""
    region: str = ""
    postal_code: str = ""
    email: str = ""
    telephone: str = ""
    website: str = ""
    description: str = ""
    # The IANA name of the zone its dates are set and shown in; empty for its country's main one.
    time_zone: str = ""
    buyer_type: str = ""
    # Suppliers only. The legal form (a cooperative is one by it) and the characteristics are
    # part of the profile; the scale's figures and declaration are given at registration and
    # then declared apart (`services_scale.supplier_scale_declare`).
    legal_form: str = ""
    scale: str = ""
    employees: int | None = None
    annual_turnover: Decimal | None = None
    women_owned: bool = False
    indigenous_owned: bool = False
    is_local: bool = False
    hubzone: bool = False


@dataclass(kw_only=True)
class SupplierRegistration:
    """What a new supplier gives to register itself and its first user."""

    email: str
    password: str
    full_name: str
    organization: OrganizationData
    language: str = ""


def _clean_identifier(data: OrganizationData) -> tuple[str, str]:
    scheme = data.identifier_scheme.strip().upper()
    if not scheme_is_valid(scheme):
        raise ValidationFailed(
            _(
                "The identifier scheme must look like CL-RUT or BR-CNPJ (country code, dash, "
                "register)."
            ),
            field="identifier_scheme",
        )
    identifier = normalize_id(scheme, data.identifier_id)
    if not id_is_valid(scheme, identifier):
        raise ValidationFailed(
            _("%(id)s is not a valid %(scheme)s; check the digits.")
            % {"id": data.identifier_id, "scheme": scheme},
            field="identifier_id",
        )
    if Organization.objects.filter(identifier_scheme=scheme, identifier_id=identifier).exists():
        raise ValidationFailed(
            _(
                "An organization with this identifier is already registered. Ask its users to "
                "invite you instead."
            ),
            field="identifier_id",
            code="organization_exists",
        )
    return scheme, identifier


def _check_length(model: type[models.Model], name: str, value: str) -> None:
    # The column's limit, checked here: PostgreSQL would refuse the row with a server error.
    limit = getattr(model._meta.get_field(name), "max_length", None)
    if limit is not None and len(value) > limit:
        raise ValidationFailed(
            _("This text is too long (%(length)s characters); the limit is %(limit)s.")
            % {"length": len(value), "limit": limit},
            field=name,
        )


def _check_email(value: str, field: str) -> None:
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationFailed(
            _("%(email)s is not a valid e-mail address.") % {"email": value}, field=field
        ) from None


def _validate_profile(kind: str, data: OrganizationData, *, legal_form: str = "") -> None:
    """Check a profile; `legal_form` is the one the organization has (empty for a new one)."""
    if not data.legal_name.strip():
        raise ValidationFailed(_("Give the organization's legal name."), field="legal_name")
    if not data.country:
        raise ValidationFailed(_("Choose the country."), field="country")
    if data.country not in countries:
        raise ValidationFailed(_("Choose the country from the list."), field="country")
    for name in PROFILE_TEXT_FIELDS:
        _check_length(Organization, name, getattr(data, name))
    if data.email.strip():
        _check_email(data.email.strip(), "email")
    if data.website.strip():
        try:
            URLValidator(schemes=["http", "https"])(data.website.strip())
        except ValidationError:
            raise ValidationFailed(
                _("Give the website's full address, starting with https://."), field="website"
            ) from None
    zone = data.time_zone.strip()
    if zone and not time_zone_is_known(zone):
        raise ValidationFailed(
            _("%(value)s is not a time zone; give its IANA name, such as America/Santiago.")
            % {"value": zone},
            field="time_zone",
        )
    if data.buyer_type not in {"", *BuyerType.values}:
        raise ValidationFailed(_("Choose the type of public body."), field="buyer_type")
    if kind == OrganizationKind.SUPPLIER and data.legal_form not in LegalForm.values:
        raise ValidationFailed(_("Choose the legal form."), field="legal_form")
    # A consortium is formed by its members (services_consortia) and stays one.
    if (data.legal_form == LegalForm.CONSORTIUM) != (legal_form == LegalForm.CONSORTIUM):
        raise ValidationFailed(
            _(
                "A consortium is formed by its members on the consortia page, and stays a "
                "consortium; choose another legal form."
            )
            if data.legal_form == LegalForm.CONSORTIUM
            else _("A consortium's legal form cannot change."),
            field="legal_form",
        )
    if kind != OrganizationKind.SUPPLIER and (
        any(getattr(data, name) for name in SUPPLIER_PROFILE_FIELDS)
        or data.scale
        or data.employees is not None
        or data.annual_turnover is not None
    ):
        raise ValidationFailed(_("Only suppliers declare a scale and characteristics."))


def _scale_data(data: OrganizationData) -> ScaleData:
    return ScaleData(
        employees=data.employees,
        annual_turnover=data.annual_turnover,
        declared_scale=data.scale,
    )


def _create(kind: str, data: OrganizationData) -> Organization:
    _validate_profile(kind, data)
    scheme, identifier = _clean_identifier(data)
    scale = (
        scale_compute(country=data.country, data=_scale_data(data))
        if kind == OrganizationKind.SUPPLIER
        else None
    )
    organization = Organization(
        kind=kind,
        identifier_scheme=scheme,
        identifier_id=identifier,
        country=data.country,
        legal_name=data.legal_name.strip(),
        time_zone=data.time_zone.strip(),
        description=data.description,
        buyer_type=data.buyer_type,
        is_cooperative=data.legal_form == LegalForm.COOPERATIVE,
        **{name: getattr(data, name) for name in PROFILE_TEXT_FIELDS if name != "legal_name"},
        **{name: getattr(data, name) for name in SUPPLIER_PROFILE_FIELDS},
    )
    if scale is not None:
        scale_apply(organization, scale, _scale_data(data))
    try:
        with transaction.atomic():
            organization.save(force_insert=True)
            return organization
    except IntegrityError:
        # Raced with another registration of the same identifier.
        raise ValidationFailed(
            _("An organization with this identifier is already registered."),
            field="identifier_id",
        ) from None


def organization_create(*, actor: Actor, kind: str, data: OrganizationData) -> Organization:
    """A platform administrator registers a buyer, an oversight body or the operator."""
    require_platform_admin(actor)
    if kind not in OrganizationKind.values:
        raise ValidationFailed(_("Unknown kind of organization."), field="kind")
    with transaction.atomic():
        organization = _create(kind, data)
        audit_record(
            actor=actor,
            action="organization.create",
            target=organization,
            summary={"kind": kind, "identifier": organization.party_id},
        )
    return organization


def supplier_register(*, actor: Actor, registration: SupplierRegistration) -> User:
    """A supplier registers itself: its organization, its first user, the user's membership.

    The e-mail address starts unverified; the caller sends the verification message after
    commit. All three rows are written or none is.

    An address that already has an account is refused last, with the code `email_taken`,
    after every other check has passed: a page can then answer exactly as for a registration
    that succeeded, and tell only the address's owner (by e-mail) that it has an account.
    """
    email = registration.email.strip().lower()
    if not email:
        raise ValidationFailed(_("Give your e-mail address."), field="email")
    _check_email(email, "email")
    _check_length(User, "full_name", registration.full_name.strip())
    if registration.language not in {"", *(code for code, _name in settings.LANGUAGES)}:
        raise ValidationFailed(_("Choose one of the platform's languages."), field="language")
    try:
        validate_password(registration.password, User(email=email))
    except ValidationError as error:
        raise ValidationFailed(" ".join(error.messages), field="password") from None
    _validate_profile(OrganizationKind.SUPPLIER, registration.organization)
    scale_compute(
        country=registration.organization.country,
        data=_scale_data(registration.organization),
    )
    _clean_identifier(registration.organization)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationFailed(
            _("This e-mail address is already registered. Sign in, or reset your password."),
            field="email",
            code="email_taken",
        )
    with transaction.atomic():
        organization = _create(OrganizationKind.SUPPLIER, registration.organization)
        try:
            user = User.objects.create_user(
                email,
                registration.password,
                full_name=registration.full_name.strip(),
                language=registration.language,
            )
        except IntegrityError:
            # Raced with another registration of the same address; the block rolls back.
            raise ValidationFailed(
                _("This e-mail address is already registered. Sign in, or reset your password."),
                field="email",
                code="email_taken",
            ) from None
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
        Membership.objects.create(user=user, organization=organization, role=Role.SUPPLIER_USER)
        registered = Actor(
            user=user,
            organization=organization,
            ip_address=actor.ip_address,
            channel=actor.channel,
        )
        audit_record(
            actor=registered,
            action="supplier.register",
            target=organization,
            summary={
                "identifier": organization.party_id,
                "legal_form": organization.legal_form,
                "scale": organization.scale,
                "declared_scale": organization.declared_scale,
                "computed_scale": organization.computed_scale,
                "rule_pack": organization.scale_rule_pack,
                "employees": organization.employees,
                "annual_turnover": organization.annual_turnover,
                "user": email,
            },
        )
    return user


def organization_update(
    *, actor: Actor, organization: Organization, data: OrganizationData
) -> Organization:
    """Members who manage the organization update its public profile (not its identifier)."""
    managers = MANAGER_ROLES_BY_KIND.get(organization.kind, OTHER_MANAGER_ROLES)
    require_role(actor, organization, managers)
    _validate_profile(organization.kind, data, legal_form=organization.legal_form)
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        changes = {}
        for name in PROFILE_FIELDS:
            new = getattr(data, name)
            if isinstance(new, str):
                new = new.strip()
            old = getattr(locked, name)
            if old != new:
                changes[name] = [old, new]
                setattr(locked, name, new)
        if "legal_form" in changes:
            locked.is_cooperative = locked.legal_form == LegalForm.COOPERATIVE
        if changes:
            locked.updated_at = clock.now()
            locked.save()
            if "is_local" in changes:
                consortia_rescale(member=locked)
            audit_record(
                actor=actor,
                action="organization.update",
                target=locked,
                summary={"changes": changes},
            )
    return locked


def _refuse_api_key(actor: Actor) -> None:
    # Keys are managed by people: a key that could mint keys would escape its own scopes.
    if actor.api_key is not None:
        raise PermissionDenied(_("API keys are issued and revoked by a person, not by a key."))


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_key_issue(
    *, actor: Actor, organization: Organization, name: str, scopes: list[str]
) -> tuple[ApiKey, str]:
    """Issue a key for an integrator. The full secret is returned once and never stored."""
    _refuse_api_key(actor)
    managers = MANAGER_ROLES_BY_KIND.get(organization.kind, frozenset())
    require_role(actor, organization, managers)
    unknown = set(scopes) - set(ApiScope.values)
    if unknown or not scopes:
        raise ValidationFailed(_("Choose at least one valid scope."), field="scopes")
    if not name.strip():
        raise ValidationFailed(
            _("Name the key after the integrator that will use it."), field="name"
        )
    _check_length(ApiKey, "name", name.strip())
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        key = ApiKey.objects.create(
            organization=organization,
            name=name.strip(),
            prefix=prefix,
            secret_hash=_hash_secret(secret),
            scopes=sorted(set(scopes)),
            created_by=actor.user,
        )
        audit_record(
            actor=actor, action="api_key.issue", target=key, summary={"scopes": key.scopes}
        )
    return key, f"pk_{prefix}_{secret}"


def api_key_revoke(*, actor: Actor, key: ApiKey) -> ApiKey:
    """Revoke a key at once; requests with it are refused from now on."""
    _refuse_api_key(actor)
    require_role(actor, key.organization, API_KEY_REVOKER_ROLES)
    with transaction.atomic():
        locked = ApiKey.objects.select_for_update().get(pk=key.pk)
        if locked.revoked_at is None:
            locked.revoked_at = clock.now()
            locked.save(update_fields=["revoked_at"])
            audit_record(actor=actor, action="api_key.revoke", target=locked)
    return locked


# What api_key_issue hands out: "pk_", the key's prefix (hexadecimal), "_", the secret
# (URL-safe base64, which may itself contain "_").
_API_TOKEN = re.compile(r"pk_(?P<prefix>[0-9a-f]{1,16})_(?P<secret>[A-Za-z0-9_-]{1,128})")


def api_key_authenticate(token: str) -> ApiKey:
    """Find the active key for a presented token, or refuse.

    The whole token is checked: its marker, the prefix that finds the key, and the secret.
    """
    parts = _API_TOKEN.fullmatch(token)
    if parts is None:
        raise NotFound(_("The API key is malformed."))
    prefix, secret = parts["prefix"], parts["secret"]
    key = ApiKey.objects.select_related("organization").filter(prefix=prefix).first()
    if key is None or not secrets.compare_digest(key.secret_hash, _hash_secret(secret)):
        raise NotFound(_("The API key is not valid."))
    if not key.is_active:
        raise NotFound(_("The API key was revoked or has expired."))
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=clock.now())
    return key
