"""`pregon demo`: build a believable world to try Pregón with (see pregon.demo)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pregon.core.db_triggers import lifted
from pregon.demo.accounts import DEMO_PASSWORD, accounts_table, demo_accounts, mfa_notice
from pregon.demo.world import build_demo, history_problems
from pregon.organizations.models import Organization


class Command(BaseCommand):
    help = (
        "Build the demo world: buyers in Chile, Brazil and Belize, an oversight body, thirty "
        "suppliers and tenders in every state, with sealed bids and public openings, through the "
        "same services people use. Every demo account's password, and the passphrase of the "
        "committee members' key files (VAR_DIR/demo/committee-keys/), is 'pregon-demo'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when any organization exists (what `make run` uses).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Erase ALL data in the database first, then build the demo.",
        )
        parser.add_argument(
            "--no-accounts",
            action="store_true",
            help="Do not list the demo accounts at the end (`make run` uses this: `pregon "
            "serve` lists them when it starts).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though PREGON_ENV=production (never do this on a real instance).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION and not options["force"]:
            raise CommandError(
                _(
                    "Refusing to build demo data in production (PREGON_ENV=production): demo "
                    "accounts have a published password. Use --force only on a throw-away "
                    "database."
                )
            )
        problems = history_problems()
        if problems:
            raise CommandError(
                _("The demo cannot be built with this platform's settings. %(problems)s")
                % {"problems": " ".join(problems)}
            )
        if Organization.objects.exists():
            if options["if_empty"] and not options["reset"]:
                self.stdout.write(
                    _("The database already has organizations; the demo was not loaded.")
                )
                return
            if not options["reset"]:
                raise CommandError(
                    _(
                        "The database already has organizations. Use --reset to erase "
                        "everything and rebuild the demo, or --if-empty to skip."
                    )
                )
            self.stdout.write(_("Erasing every table (--reset)…"))
            # flush empties the tables directly: the append-only tables refuse deletion through
            # the ORM, and their database triggers refuse it too, so they are lifted around it,
            # in one transaction: no other connection ever sees the tables unguarded.
            with transaction.atomic(), lifted(connection):
                call_command("flush", interactive=False, verbosity=0)

        self.stdout.write(_("Building the demo world:"))
        summary = build_demo(progress=lambda line: self.stdout.write(f"  {line}"))
        tally = summary.tenders
        self.stdout.write(
            _(
                "Built %(buyers)d buyers in %(countries)d countries, %(suppliers)d suppliers, "
                "%(people)d people; %(published)d published tenders (%(open)d open, "
                "%(closed)d closed, %(cancelled)d cancelled), %(drafts)d drafts, "
                "%(questions)d questions (%(unanswered)d unanswered), %(amendments)d "
                "amendments and %(documents)d documents in %(seconds).1f s."
            )
            % {
                "buyers": summary.buyers,
                "countries": summary.countries,
                "suppliers": summary.suppliers,
                "people": summary.people,
                "published": tally.published,
                "open": tally.by_state.get("open", 0),
                "closed": tally.by_state.get("closed", 0),
                "cancelled": tally.by_state.get("cancelled", 0)
                + tally.by_state.get("closed_cancelled", 0),
                "drafts": tally.drafts,
                "questions": tally.questions,
                "unanswered": tally.unanswered,
                "amendments": tally.amendments,
                "documents": tally.documents,
                "seconds": summary.seconds,
            }
        )
        bids = tally.bids
        self.stdout.write(
            _(
                "Sealed bids: %(submitted)d submitted (%(replaced)d of them replacements), "
                "%(withdrawn)d withdrawn. Public openings: %(opened)d done, %(collecting)d "
                "waiting for more committee members."
            )
            % {
                "submitted": bids.submitted,
                "replaced": bids.replaced,
                "withdrawn": bids.withdrawn,
                "opened": bids.opened,
                "collecting": bids.collecting,
            }
        )
        evaluations, awards = summary.awards.evaluations, summary.awards.awards
        complaints = summary.awards.complaints
        self.stdout.write(
            _(
                "Evaluations completed: %(completed)d, in progress: %(in_progress)d (bids "
                "disqualified: %(disqualified)d, abnormally low prices justified: "
                "%(justified)d). Awards in standstill: %(standstill)d, final: %(active)d, "
                "unsuccessful: %(unsuccessful)d, cancelled after a complaint: %(cancelled)d. "
                "Complaints: %(complaints)d (upheld: %(upheld)d, dismissed: %(dismissed)d)."
            )
            % {
                "completed": evaluations.get("completed", 0),
                "in_progress": evaluations.get("in_progress", 0)
                + evaluations.get("justification_requested", 0),
                "disqualified": summary.awards.disqualified,
                "justified": summary.awards.justifications,
                "standstill": awards.get("standstill", 0) + awards.get("suspended", 0),
                "active": awards.get("active", 0),
                "unsuccessful": awards.get("unsuccessful", 0),
                "cancelled": awards.get("cancelled", 0),
                "complaints": sum(complaints.values()),
                "upheld": complaints.get("upheld", 0),
                "dismissed": complaints.get("dismissed", 0),
            }
        )
        contracts, invoices = summary.contracts.contracts, summary.contracts.invoices
        self.stdout.write(
            _(
                "Contracts signed: %(signed)d (in force: %(in_force)d, completed: "
                "%(completed)d), amendments: %(amendments)d, deliveries met: %(met)d. Invoices "
                "submitted: %(invoices)d (rejected: %(rejected)d, paid: %(paid)d, of them late: "
                "%(late)d, awaiting payment: %(waiting)d)."
            )
            % {
                "signed": sum(
                    contracts.get(status, 0)
                    for status in ("signed", "active", "completed", "terminated")
                ),
                "in_force": contracts.get("active", 0),
                "completed": contracts.get("completed", 0),
                "amendments": summary.contracts.amendments,
                "met": summary.contracts.milestones_met,
                "invoices": sum(invoices.values()),
                "rejected": invoices.get("rejected", 0),
                "paid": invoices.get("paid", 0),
                "late": summary.contracts.paid_late,
                "waiting": invoices.get("accepted", 0),
            }
        )
        self.stdout.write(
            ngettext(
                "Wrote the opening key file of %(count)d committee member to %(directory)s "
                "(passphrase: %(password)s).",
                "Wrote the opening key files of %(count)d committee members to %(directory)s "
                "(passphrase: %(password)s).",
                summary.committee_keys,
            )
            % {
                "count": summary.committee_keys,
                "directory": summary.key_files,
                "password": DEMO_PASSWORD,
            }
        )
        if options["no_accounts"]:
            return
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Demo accounts:")))
        self.stdout.write(accounts_table(demo_accounts()))
        self.stdout.write("")
        self.stdout.write(self.style.WARNING(mfa_notice()))
