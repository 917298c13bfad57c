"""What the apps below learn of quick quotes through their registers (never by importing this
app): the plan line a quick quote follows (`planning.followers`, ADR 0019), the procedure a
purchase order came from (`contracts.processes`, ADR 0020), and what the alerts and the portal
call a quick quote and where they link it (`alerts.processes`). Registered from `apps.py`."""

from __future__ import annotations

from collections.abc import Sequence

from pregon.alerts.processes import ProcessPage
from pregon.contracts.models import Contract
from pregon.contracts.processes import ContractProcess
from pregon.planning.followers import Follower
from pregon.planning.models import PlanLine
from pregon.quotes.models import QuickQuote


def quick_quote_followers(lines: Sequence[PlanLine]) -> dict[int, Follower]:
    """The quick quotes drafted from `lines`, by line id; a draft has no public page."""
    found = QuickQuote.objects.filter(plan_line_id__in=[line.pk for line in lines])
    return {
        quick_quote.plan_line_id: Follower(
            kind="quick_quote",
            reference=quick_quote.reference,
            title=quick_quote.title,
            url=quick_quote.get_absolute_url() if quick_quote.is_public else "",
        )
        for quick_quote in found
        if quick_quote.plan_line_id is not None
    }


def quick_quote_process(contract: Contract) -> ContractProcess | None:
    """The quick quote a purchase order was issued from (None for any other contract)."""
    quick_quote = QuickQuote.objects.select_related("buyer").filter(order=contract).first()
    if quick_quote is None:
        return None
    return ContractProcess(
        kind="quick_quote",
        ocid=str(quick_quote.ocid or ""),
        language=quick_quote.language,
        rule_pack=quick_quote.rule_pack,
        reference=quick_quote.reference,
        title=quick_quote.title,
        url=quick_quote.get_absolute_url() if quick_quote.is_public else "",
        buyer=quick_quote.buyer,
    )


def quick_quote_pages(ocids: Sequence[str]) -> dict[str, ProcessPage]:
    """The public pages of the quick quotes among `ocids`, by ocid (a draft has none)."""
    found = QuickQuote.objects.select_related("buyer").filter(ocid__in=ocids)
    return {
        str(quick_quote.ocid): ProcessPage(
            kind="quick_quote",
            path=quick_quote.get_absolute_url() if quick_quote.is_public else "",
            zone=quick_quote.buyer.effective_time_zone,
        )
        for quick_quote in found
    }
