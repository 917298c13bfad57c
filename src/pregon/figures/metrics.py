"""The MSME participation figures: one function per figure, each returning the table behind its
chart, and `FIGURES`, the register the page, the CSV downloads and the API read.

Every figure splits what it counts by the scale of the firm that won, bid or was paid: micro,
small, medium, self-employed, large, or unknown (a scale the record does not give), then adds
three summary rows: every MSME (micro, small, medium and the self-employed, as the bid
statistics count SMEs: `tlog.leaves.SME_SCALES`), cooperatives of any scale (a consortium is one
when any accepted member is), and everyone. Shares are exact: `Decimal` per cent, rounded half
up to one decimal, of the "everyone" row; money is never added across currencies.

The scale of record (docs/figures.md): a contract's and an invoice's is the supplier's scale in
its profile now (contracts and awards keep no snapshot of it, and quick-quote orders have no
bid); a bid's is the one its opening record published, frozen at the opening, as the OCDS bid
statistics count it. A consortium's scale is its largest member's.

Each figure aggregates in the database (one query, whatever the number of records), except the
bids, read from the opening records (one query; each record lists its bids) and the medians,
computed from the days of the invoices in the period (one query).

To add a figure (the quick-quote share, the subcontracting share): write a function
`(filters) -> Table` below, usually `count_table(tally(...))` or `value_table(tally(...))` over
the records it counts, and add one `Figure(...)` to `FIGURES`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pregon.bids.choices import OpeningStatus
from pregon.bids.models import Opening
from pregon.contracts.choices import ContractStatus, InvoiceStatus
from pregon.contracts.models import Contract, Invoice
from pregon.figures.filters import Filters
from pregon.organizations.choices import ConsortiumMemberStatus, Scale
from pregon.organizations.models import ConsortiumMember
from pregon.subcontracting.models import Subcontract
from pregon.tlog.leaves import SME_SCALES

#: The scales, in the order of the tables, then the firms whose scale is not known.
SCALES: tuple[str, ...] = (
    Scale.MICRO,
    Scale.SMALL,
    Scale.MEDIUM,
    Scale.SELF_EMPLOYED,
    Scale.LARGE,
)
UNKNOWN = "unknown"
MSME = "msme"
COOPERATIVE = "cooperative"
ALL = "all"
GROUPS: tuple[str, ...] = (*SCALES, UNKNOWN)
ROWS: tuple[str, ...] = (*GROUPS, MSME, COOPERATIVE, ALL)
#: A contract counts once its buyer signed it (it is published), unless it was cancelled.
CONTRACTS_COUNTED: tuple[str, ...] = (
    ContractStatus.SIGNED,
    ContractStatus.ACTIVE,
    ContractStatus.COMPLETED,
    ContractStatus.TERMINATED,
)
HUNDRED = Decimal(100)
TENTH = Decimal("0.1")
CENT = Decimal("0.01")


def group_label(group: str) -> str:
    """The name of a row, in the active language."""
    if group in SCALES:
        return str(Scale(group).label)
    return {
        UNKNOWN: _("Size unknown"),
        MSME: _("All MSMEs (micro, small, medium, self-employed)"),
        COOPERATIVE: _("Cooperatives (any size)"),
        ALL: _("All suppliers"),
    }[group]


def share(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """`part` as a per cent of `whole`, rounded half up to one decimal (None when `whole` is 0)."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(TENTH, rounding=ROUND_HALF_UP)


def tenth(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------
# tables


@dataclass(frozen=True)
class Column:
    """A column of a figure's table: its key in each row and its heading."""

    key: str
    label: str | Promise
    #: How its values read: "text", "count" (an int), "tenth" (a Decimal to one decimal: a share
    #: or days) or "money" (a Decimal to two decimals).
    kind: str = "count"


@dataclass(frozen=True, kw_only=True)
class Table:
    """The table behind a figure's chart. Each row maps the columns' keys to a value (text, int,
    `Decimal`, or None for "no value") and has a `group` (its row code: a scale, `unknown`,
    `msme`, `cooperative` or `all`). The chart draws the column `chart` of every row but `all`."""

    columns: tuple[Column, ...]
    rows: list[dict[str, Any]]
    chart: str

    def chart_rows(self) -> list[dict[str, Any]]:
        """The chart's data: a label and a share (a float, for drawing only) per row."""
        drawn = []
        for row in self.rows:
            if row["group"] == ALL or row.get(self.chart) is None:
                continue
            label = row["label"]
            if row.get("currency"):
                label = f"{row['currency']} · {label}"
            drawn.append({"label": label, "share": float(row[self.chart])})
        return drawn


@dataclass
class Tally:
    """Counts (and sums of money, per currency) of records by row group."""

    count: Counter[str] = field(default_factory=Counter)
    amount: defaultdict[str, defaultdict[str, Decimal]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(Decimal))
    )
    counts_by_currency: defaultdict[str, Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )

    def add(
        self, *, scale: str, cooperative: bool, n: int = 1, currency: str = "", amount: Any = None
    ) -> None:
        """Count `n` records of a firm of `scale` (a cooperative or not), with their total
        `amount` in `currency` when they carry money."""
        group = scale if scale in SCALES else UNKNOWN
        keys = [group, ALL]
        if scale in SME_SCALES:
            keys.append(MSME)
        if cooperative:
            keys.append(COOPERATIVE)
        for key in keys:
            self.count[key] += n
            if currency:
                self.amount[currency][key] += Decimal(amount or 0)
                self.counts_by_currency[currency][key] += n


def tally(rows: Iterable[Mapping[str, Any]]) -> Tally:
    """A tally of grouped rows, each with `scale`, `cooperative`, `n` (how many records) and,
    for money, `currency` and `amount` (their total)."""
    result = Tally()
    for row in rows:
        result.add(
            scale=row["scale"] or "",
            cooperative=bool(row["cooperative"]),
            n=row.get("n", 1),
            currency=row.get("currency", ""),
            amount=row.get("amount"),
        )
    return result


def count_table(counted: Tally, *, count_label: str | Promise) -> Table:
    """Rows of how many records each group has, and their share of all."""
    whole = counted.count[ALL]
    return Table(
        columns=(
            Column("label", gettext_lazy("Suppliers"), kind="text"),
            Column("count", count_label),
            Column("share", gettext_lazy("Share (%)"), kind="tenth"),
        ),
        rows=[
            {
                "group": group,
                "label": group_label(group),
                "count": counted.count[group],
                "share": share(counted.count[group], whole),
            }
            for group in ROWS
        ],
        chart="share",
    )


def value_table(counted: Tally, *, count_label: str | Promise) -> Table:
    """Rows of the money each group has, and its share of all, per currency (never added across
    currencies: a table of several currencies has their rows one after another)."""
    rows = []
    for currency in sorted(counted.amount):
        amounts = counted.amount[currency]
        rows += [
            {
                "group": group,
                "currency": currency,
                "label": group_label(group),
                "count": counted.counts_by_currency[currency][group],
                "value": amounts[group].quantize(CENT),
                "share": share(amounts[group], amounts[ALL]),
            }
            for group in ROWS
        ]
    return Table(
        columns=(
            Column("currency", gettext_lazy("Currency"), kind="text"),
            Column("label", gettext_lazy("Suppliers"), kind="text"),
            Column("count", count_label),
            Column("value", gettext_lazy("Value"), kind="money"),
            Column("share", gettext_lazy("Share of the value (%)"), kind="tenth"),
        ),
        rows=rows,
        chart="share",
    )


# ---------------------------------------------------------------------------------------------
# the records counted


def cooperative_of(path: str) -> ExpressionWrapper:
    """Whether the organization at `path` is a cooperative, or a consortium with an accepted
    cooperative member (as the bid statistics count cooperatives)."""
    member = ConsortiumMember.objects.filter(
        consortium__organization=OuterRef(path),
        member__is_cooperative=True,
        status=ConsortiumMemberStatus.ACCEPTED,
    )
    return ExpressionWrapper(
        Q(**{f"{path}__is_cooperative": True}) | Q(Exists(member)), output_field=BooleanField()
    )


def contracts_counted(filters: Filters) -> QuerySet[Contract]:
    """The contracts the figures count: signed by their buyer (published) and not cancelled,
    of the filters' buyer and country, signed by the buyer in the period. Quick-quote orders
    are contracts too, and count with the others."""
    contracts = Contract.objects.filter(status__in=CONTRACTS_COUNTED, buyer_signed_at__isnull=False)
    if filters.country:
        contracts = contracts.filter(buyer__country=filters.country)
    if filters.buyer is not None:
        contracts = contracts.filter(buyer=filters.buyer)
    if filters.period is not None:
        contracts = contracts.filter(
            buyer_signed_at__gte=filters.period.start_at, buyer_signed_at__lt=filters.period.end_at
        )
    return contracts


def contracts_tally(contracts: QuerySet[Contract]) -> Tally:
    """Contracts counted (and their values summed per currency) by their supplier's scale, in
    one query."""
    return tally(
        contracts.annotate(cooperative=cooperative_of("supplier"))
        .values("currency", "cooperative", scale=F("supplier__scale"))
        .annotate(n=Count("pk"), amount=Sum("value"))
        .order_by()
    )


def invoices_paid(filters: Filters) -> QuerySet[Invoice]:
    """The invoices paid in full, of contracts of the filters' buyer and country, whose payment
    in full is dated in the period."""
    invoices = Invoice.objects.filter(status=InvoiceStatus.PAID)
    if filters.country:
        invoices = invoices.filter(contract__buyer__country=filters.country)
    if filters.buyer is not None:
        invoices = invoices.filter(contract__buyer=filters.buyer)
    if filters.period is not None:
        invoices = invoices.filter(
            paid_on__gte=filters.period.start, paid_on__lt=filters.period.end
        )
    return invoices


def openings_counted(filters: Filters) -> QuerySet[Opening]:
    """The bid openings held, of tenders of the filters' buyer and country, in the period."""
    openings = Opening.objects.filter(status=OpeningStatus.OPENED)
    if filters.country:
        openings = openings.filter(tender__buyer__country=filters.country)
    if filters.buyer is not None:
        openings = openings.filter(tender__buyer=filters.buyer)
    if filters.period is not None:
        openings = openings.filter(
            opened_at__gte=filters.period.start_at, opened_at__lt=filters.period.end_at
        )
    return openings


# ---------------------------------------------------------------------------------------------
# the figures


def contracts_share(filters: Filters) -> Table:
    """How many contracts each scale won, and its share of all contracts."""
    return count_table(
        contracts_tally(contracts_counted(filters)), count_label=gettext_lazy("Contracts")
    )


def value_share(filters: Filters) -> Table:
    """The value of the contracts each scale won, and its share, per currency."""
    return value_table(
        contracts_tally(contracts_counted(filters)), count_label=gettext_lazy("Contracts")
    )


def quick_quote_share(filters: Filters) -> Table:
    """How many quick-quote purchase orders each scale won, and its share of all of them (the
    orders are contracts, counted as the contracts are)."""
    orders = contracts_counted(filters).filter(quick_quote__isnull=False)
    return count_table(contracts_tally(orders), count_label=gettext_lazy("Orders"))


def subcontracts_counted(filters: Filters) -> QuerySet[Subcontract]:
    """The subcontracts recorded in the period on contracts of the filters' buyer and
    country."""
    subcontracts = Subcontract.objects.all()
    if filters.country:
        subcontracts = subcontracts.filter(contract__buyer__country=filters.country)
    if filters.buyer is not None:
        subcontracts = subcontracts.filter(contract__buyer=filters.buyer)
    if filters.period is not None:
        subcontracts = subcontracts.filter(
            recorded_at__gte=filters.period.start_at, recorded_at__lt=filters.period.end_at
        )
    return subcontracts


def subcontracting_share(filters: Filters) -> Table:
    """The value subcontracted, per currency, by the subcontractor's scale when the subcontract
    was recorded, and its share."""
    rows = (
        subcontracts_counted(filters)
        .annotate(cooperative=cooperative_of("subcontractor"))
        .values("currency", "cooperative", "scale")
        .annotate(n=Count("pk"), amount=Sum("value"))
        .order_by()
    )
    return value_table(tally(rows), count_label=gettext_lazy("Subcontracts"))


def _firms(tenderer: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """A bidder and, for a consortium, its members (as the opening record lists them)."""
    members = tenderer.get("consortium")
    return [tenderer, *members] if isinstance(members, list) else [tenderer]


def bids_share(filters: Filters) -> Table:
    """How many bids came from each scale (by the bidder's scale in the opening record), and
    its share of all bids opened; a consortium's bid counts once, at its own (largest
    member's) scale, and as a cooperative's when any member is one."""
    counted = Tally()
    for record in openings_counted(filters).values_list("record", flat=True):
        for bid in record.get("bids", []) if isinstance(record, dict) else []:
            tenderer = bid.get("tenderer") or {}
            counted.add(
                scale=str(tenderer.get("scale") or ""),
                cooperative=any(firm.get("cooperative") is True for firm in _firms(tenderer)),
            )
    return count_table(counted, count_label=gettext_lazy("Bids"))


def _median(days: list[int]) -> Decimal | None:
    if not days:
        return None
    ordered = sorted(days)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return tenth(Decimal(ordered[middle]))
    return tenth(Decimal(ordered[middle - 1] + ordered[middle]) / 2)


def days_to_pay(filters: Filters) -> Table:
    """How fast buyers pay each scale's invoices: the invoices paid in full, the median and the
    mean of their days from receipt to payment in full (`Invoice.days_to_pay`, as the buyer's
    payment figures count them), and how many (and what share) were paid after their due
    date."""
    days: defaultdict[str, list[int]] = defaultdict(list)
    late: Counter[str] = Counter()
    rows = (
        invoices_paid(filters)
        .annotate(
            cooperative=cooperative_of("contract__supplier"),
            late=ExpressionWrapper(Q(paid_on__gt=F("due_on")), output_field=BooleanField()),
        )
        .values_list("contract__supplier__scale", "cooperative", "days_to_pay", "late")
    )
    for scale, cooperative, taken, was_late in rows:
        # Stored for every invoice paid in full (a database constraint).
        assert taken is not None
        keys = [scale if scale in SCALES else UNKNOWN, ALL]
        if scale in SME_SCALES:
            keys.append(MSME)
        if cooperative:
            keys.append(COOPERATIVE)
        for key in keys:
            days[key].append(taken)
            late[key] += bool(was_late)
    return Table(
        columns=(
            Column("label", gettext_lazy("Suppliers"), kind="text"),
            Column("paid", gettext_lazy("Invoices paid")),
            Column("median_days", gettext_lazy("Median days to pay"), kind="tenth"),
            Column("mean_days", gettext_lazy("Mean days to pay"), kind="tenth"),
            Column("late", gettext_lazy("Paid late")),
            Column("late_share", gettext_lazy("Share paid late (%)"), kind="tenth"),
        ),
        rows=[
            {
                "group": group,
                "label": group_label(group),
                "paid": len(days[group]),
                "median_days": _median(days[group]),
                "mean_days": tenth(Decimal(sum(days[group])) / len(days[group]))
                if days[group]
                else None,
                "late": late[group],
                "late_share": share(late[group], len(days[group])),
            }
            for group in ROWS
        ],
        chart="late_share",
    )


# ---------------------------------------------------------------------------------------------
# the register


@dataclass(frozen=True, kw_only=True)
class Figure:
    """One figure: its code in URLs (`slug`), its title, what it counts, and its function."""

    slug: str
    title: Promise
    description: Promise
    compute: Callable[[Filters], Table]


#: The figures, in the order of the page and the API.
FIGURES: tuple[Figure, ...] = (
    Figure(
        slug="contracts",
        title=gettext_lazy("Share of contracts won"),
        description=gettext_lazy(
            "Contracts signed by the buyer in the period (cancelled ones excluded), by the "
            "size of the supplier that won them."
        ),
        compute=contracts_share,
    ),
    Figure(
        slug="value",
        title=gettext_lazy("Share of the value won"),
        description=gettext_lazy(
            "The value of those contracts, per currency (currencies are never added together)."
        ),
        compute=value_share,
    ),
    Figure(
        slug="bids",
        title=gettext_lazy("Share of bids"),
        description=gettext_lazy(
            "Bids opened in the period, by the bidder's size at the opening; a consortium "
            "counts once, as large as its largest member."
        ),
        compute=bids_share,
    ),
    Figure(
        slug="quick-quotes",
        title=gettext_lazy("Share of quick-quote orders"),
        description=gettext_lazy(
            "Purchase orders of quick quotes signed by the buyer in the period (cancelled ones "
            "excluded), by the size of the supplier that won them."
        ),
        compute=quick_quote_share,
    ),
    Figure(
        slug="subcontracting",
        title=gettext_lazy("Share of the value subcontracted"),
        description=gettext_lazy(
            "Subcontracts recorded in the period on the buyer's contracts, per currency, by "
            "the size of the subcontractor when the subcontract was recorded."
        ),
        compute=subcontracting_share,
    ),
    Figure(
        slug="payment",
        title=gettext_lazy("Days to pay"),
        description=gettext_lazy(
            "Invoices paid in full in the period: days from their receipt to their payment in "
            "full, and the share paid after their due date."
        ),
        compute=days_to_pay,
    ),
)


def figure_get(slug: str) -> Figure | None:
    """The figure of that code, or None."""
    return next((figure for figure in FIGURES if figure.slug == slug), None)
