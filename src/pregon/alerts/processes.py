"""What a notice calls a process and where it sends the reader: the register of process pages.

A notice names the kind of procedure it announces ("New tender", "New quick quote", "Coming
soon") and links the page where the public reads it. Tenders and plan lines sit below alerts
and are read here; the apps above that publish processes of their own (quick quotes, ADR 0020)
register, from their `AppConfig.ready`, a lookup that tells which of some ocids are theirs.
Lists ask for a page of ocids at once: one query per registered lookup, whatever their number.
A process nobody claims (one published by another system) links its OCDS record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.urls import reverse

from pregon.planning.models import PlanLine
from pregon.tenders.models import Tender

TENDER = "tender"
PLAN_LINE = "plan_line"
#: The kind of a process published by other means than this platform's procedures.
OTHER = "other"


@dataclass(frozen=True, kw_only=True)
class ProcessPage:
    """The kind of a process ("tender", "plan_line", a registering app's word such as
    "quick_quote", or "other"), the path of its page in the active language ("" while it
    has no public page), and the time zone its dates read in ("" for the platform's)."""

    kind: str
    path: str
    zone: str = ""


#: A lookup: the pages it knows of among `ocids`, by ocid.
PageLookup = Callable[[Sequence[str]], dict[str, ProcessPage]]

_LOOKUPS: list[PageLookup] = []


def process_page_register(lookup: PageLookup) -> None:
    """Add a lookup (called from an `AppConfig.ready`; a second call is a no-op)."""
    if lookup not in _LOOKUPS:
        _LOOKUPS.append(lookup)


def _record_path(ocid: str) -> str:
    return reverse("ocds_api:record", kwargs={"ocid": ocid})


def _tender_page(tender: Tender) -> ProcessPage:
    zone = tender.buyer.effective_time_zone
    return ProcessPage(kind=TENDER, path=tender.get_absolute_url(), zone=zone)


def process_pages(ocids: Sequence[str], tenders: dict[str, Tender]) -> dict[str, ProcessPage]:
    """The page of each of `ocids`, given their tenders (by ocid, as the caller read them).

    A public tender comes first; then the registered lookups' processes (a quick quote drafted
    from a plan line shares its ocid); then a public plan line that nothing follows yet; then a
    tender not public (its page says so); else the OCDS record.
    """
    pages: dict[str, ProcessPage] = {}
    for ocid in ocids:
        tender = tenders.get(ocid)
        if tender is not None and tender.is_public:
            pages[ocid] = _tender_page(tender)
    for lookup in _LOOKUPS:
        wanted = [ocid for ocid in ocids if ocid not in pages]
        if not wanted:
            break
        pages |= {ocid: page for ocid, page in lookup(wanted).items() if page.path}
    wanted = [ocid for ocid in ocids if ocid not in pages]
    if wanted:
        for line in PlanLine.objects.filter(ocid__in=wanted):
            if line.is_public:
                pages[str(line.ocid)] = ProcessPage(kind=PLAN_LINE, path=line.get_absolute_url())
    for ocid in ocids:
        if ocid in pages:
            continue
        tender = tenders.get(ocid)
        if tender is not None:
            pages[ocid] = _tender_page(tender)
        else:
            pages[ocid] = ProcessPage(kind=OTHER, path=_record_path(ocid))
    return pages


def process_page(ocid: str, tender: Tender | None) -> ProcessPage:
    """The page of one process (see `process_pages`)."""
    return process_pages([ocid], {ocid: tender} if tender is not None else {})[ocid]
