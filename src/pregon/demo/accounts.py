"""The demo's accounts: one documented password, and the table printed to sign in with."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from pregon.accounts.choices import Role
from pregon.accounts.models import Membership
from pregon.demo.keys import SUFFIX, key_files_directory

# Every demo account signs in with this password (README and the demo command say so).
DEMO_PASSWORD = "pregon-demo"  # noqa: S105 (published on purpose; demo accounts only)

_ROLE_ORDER = [
    Role.ADMINISTRATOR,
    Role.AUDITOR,
    Role.BUYER_OFFICIAL,
    Role.COMMITTEE_MEMBER,
    Role.SUPPLIER_USER,
]


@dataclass(frozen=True)
class DemoAccount:
    role: str
    organization: str
    email: str


def demo_accounts() -> list[DemoAccount]:
    """Every role held by a demo account (one whose MFA is waived), staff first."""
    memberships = Membership.objects.filter(user__mfa_waived=True).select_related(
        "user", "organization"
    )
    rows = sorted(
        memberships,
        key=lambda m: (
            _ROLE_ORDER.index(Role(m.role)),
            str(m.organization.country),
            str(m.organization),
            m.user.email,
        ),
    )
    return [
        DemoAccount(
            role=str(Role(m.role).label), organization=str(m.organization), email=m.user.email
        )
        for m in rows
    ]


def accounts_table(accounts: list[DemoAccount]) -> str:
    """A plain-text table: role, organization, e-mail, password; below it, when committee
    members are among the accounts, where their opening key files are."""
    header = (_("Role"), _("Organization"), _("E-mail"), _("Password"))
    rows = [(a.role, _shorten(a.organization, 48), a.email, DEMO_PASSWORD) for a in accounts]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(header)).rstrip()]
    lines.append("  ".join("-" * width for width in widths))
    lines.extend(
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows
    )
    committee = str(Role.COMMITTEE_MEMBER.label)
    if any(a.role == committee for a in accounts) and key_files_directory().is_dir():
        lines.extend(("", key_files_notice()))
    return "\n".join(lines)


def key_files_notice() -> str:
    """How a committee member of the demo takes part in an opening."""
    return _(
        "Committee members open sealed bids on a tender's opening page with their key file, "
        "%(path)s, whose passphrase is the same demo password."
    ) % {"path": key_files_directory() / f"<e-mail>{SUFFIX}"}


def mfa_notice() -> str:
    """What the person running the demo must know about multi-factor sign-in."""
    return _(
        "Multi-factor sign-in is waived for these demo accounts so you can try every role at "
        "once. Production refuses that waiver: with PREGON_ENV=production every buyer "
        "official, committee member and administrator must set up an authenticator app."
    )


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
