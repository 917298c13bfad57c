"""Which subscriptions a published process fits: the criteria as matched, the index keys, and
the final check. Pure: no database access (the service `services.matching` does the queries).

The index maps keys to subscriptions (`SubscriptionKey`). A process has many keys (every
prefix of its classification codes, every stem of its words, its region, its buyer), a
subscription only a few: those of its most selective criterion, its *anchor*:

1. its buyers, when it names any (a buyer publishes few processes);
2. else its classification codes (the significant digits: a group finds its descendants);
3. else its keywords (for each keyword and each language, its longest stem);
4. else "reserved for MSMEs": for the subscriber's own size (and cooperative status) when it
   is known ("m:msme:small"), else any reserved lot ("m:msme");
5. and when it also names regions, each key of 2 to 4 is combined with each region
   ("CPV:45@maule"), so a subscription to construction in one region is looked up only by
   the processes of that region; a subscription naming regions only is keyed by them.

Looking a process's keys up in the index gives the candidates in one indexed query, their
value range checked there too (each key row carries it). Most keys are *exact*: having the
key proves the fit (a subscription to codes and regions, to one-word keywords, to buyers
only), so those candidates are matches at once; the others (a second kind of criterion, a
keyword of several words) are checked by `fits` against their stored spec. The index has to
never miss a fit, and an exact key never to claim one that `fits` would refuse (both are
property-tested).

Text is folded and stemmed as the search does it (`pregon.search.text`): a keyword is stemmed
in each of the four languages (and folded for processes in any other language) and matched
against the stems of the process in its own language, so a Spanish "hospitales" finds a
Spanish "hospital", and nobody says which language they follow.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pregon.search.documents import code_significant
from pregon.search.text import LANGUAGES, fold, joined, stems

#: Every language a keyword is stemmed in: the four with a stemmer, and "" (folded only) for
#: processes in any other language.
MATCH_LANGUAGES = (*LANGUAGES, "")
#: The longest index key (longer keys are cut; `fits` decides anyway).
KEY_MAX_LENGTH = 400
_CODE = re.compile(r"^\d{2,8}$")
RESERVED_KEY = "m:msme"
#: Who a lot reserved for MSMEs may be reserved for, when a document does not say.
RESERVED_TAGS = frozenset({"micro", "small", "medium", "cooperative"})


def _key(text: str) -> str:
    return text[:KEY_MAX_LENGTH]


def value_fits(spec_min: Decimal | None, spec_max: Decimal | None, value: Decimal | None) -> bool:
    """Whether a process's estimated value is within a range (a range needs a value)."""
    if spec_min is not None and (value is None or value < spec_min):
        return False
    return spec_max is None or (value is not None and value <= spec_max)


def region_key(region: str) -> str:
    """How a region is compared: folded, its spaces collapsed ("Región  del Maule" ->
    "region del maule")."""
    return " ".join(fold(region).split())


@dataclass(frozen=True, kw_only=True)
class Criteria:
    """A subscription's criteria as entered (already validated)."""

    codes: tuple[tuple[str, str], ...] = ()
    keywords: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    buyers: tuple[str, ...] = ()
    value_min: Decimal | None = None
    value_max: Decimal | None = None
    reserved_msme: bool = False

    @property
    def is_empty(self) -> bool:
        """Whether nothing would anchor it in the index (it would fit every process)."""
        return not (
            self.codes or self.keywords or self.regions or self.buyers or self.reserved_msme
        )


@dataclass(frozen=True, kw_only=True)
class MatchSpec:
    """The criteria as the matcher reads them: code keys ("CPV:4521"), keyword stems per
    language (each keyword a tuple of stems, all needed), folded regions, buyer ids."""

    codes: frozenset[str] = frozenset()
    keywords: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    regions: frozenset[str] = frozenset()
    buyers: frozenset[str] = frozenset()
    value_min: Decimal | None = None
    value_max: Decimal | None = None
    reserved_msme: bool = False
    # Who the subscriber is, for "reserved for my scale": its size ("micro", "small", "medium",
    # "large"; the self-employed count as micro) and "cooperative" when it is one. Empty when
    # it is not known (a person without one supplier): any lot reserved for MSMEs fits.
    eligible: frozenset[str] = frozenset()

    def as_json(self) -> dict[str, Any]:
        """The spec as stored in `Subscription.spec`."""
        return {
            "c": sorted(self.codes),
            "w": {lang: [list(words) for words in kws] for lang, kws in self.keywords.items()},
            "r": sorted(self.regions),
            "b": sorted(self.buyers),
            "min": None if self.value_min is None else str(self.value_min),
            "max": None if self.value_max is None else str(self.value_max),
            "m": self.reserved_msme,
            "e": sorted(self.eligible),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> MatchSpec:
        """The spec stored by `as_json`."""
        return cls(
            codes=frozenset(data.get("c") or ()),
            keywords={
                lang: tuple(tuple(words) for words in kws)
                for lang, kws in (data.get("w") or {}).items()
            },
            regions=frozenset(data.get("r") or ()),
            buyers=frozenset(data.get("b") or ()),
            value_min=None if data.get("min") is None else Decimal(data["min"]),
            value_max=None if data.get("max") is None else Decimal(data["max"]),
            reserved_msme=bool(data.get("m")),
            eligible=frozenset(data.get("e") or ()),
        )


def code_key(scheme: str, code: str) -> str:
    """The key of a classification criterion: the scheme and the group's significant digits
    ("CPV", "45210000-2" -> "CPV:4521")."""
    return f"{scheme}:{code_significant(code)}"


def is_code(code: str) -> bool:
    """Whether `code` is 2 to 8 digits (a check digit "-n" aside)."""
    return bool(_CODE.match(code.split("-", maxsplit=1)[0]))


def keyword_stems(keyword: str) -> dict[str, tuple[str, ...]]:
    """The stems of a keyword in each matching language (empty when it has no word)."""
    return {language: tuple(sorted(set(stems(keyword, language)))) for language in MATCH_LANGUAGES}


def match_spec(criteria: Criteria, *, eligible: frozenset[str] = frozenset()) -> MatchSpec:
    """The spec of validated criteria; `eligible`: who the subscriber is (see
    `MatchSpec.eligible`), read only when it asks for lots reserved for its scale."""
    keywords: dict[str, list[tuple[str, ...]]] = {}
    for keyword in criteria.keywords:
        for language, words in keyword_stems(keyword).items():
            if words and words not in keywords.setdefault(language, []):
                keywords[language].append(words)
    return MatchSpec(
        codes=frozenset(code_key(scheme, code) for scheme, code in criteria.codes),
        keywords={language: tuple(kws) for language, kws in keywords.items()},
        regions=frozenset(region_key(region) for region in criteria.regions if region.strip()),
        buyers=frozenset(buyer.strip() for buyer in criteria.buyers if buyer.strip()),
        value_min=criteria.value_min,
        value_max=criteria.value_max,
        reserved_msme=criteria.reserved_msme,
        eligible=eligible if criteria.reserved_msme else frozenset(),
    )


def _anchor_stem(words: tuple[str, ...]) -> str:
    # The longest stem is the likeliest to be rare; ties go to the first in order.
    return max(sorted(words), key=len)


def _named(spec: MatchSpec) -> set[str]:
    """The kinds of criteria a spec names (the value range aside: the index checks it)."""
    named = set()
    for kind, present in (
        ("b", spec.buyers),
        ("c", spec.codes),
        ("k", any(spec.keywords.values())),
        ("r", spec.regions),
        ("m", spec.reserved_msme),
    ):
        if present:
            named.add(kind)
    return named


def subscription_keys(spec: MatchSpec) -> dict[str, bool]:
    """The index keys of a subscription (see the module's docstring), each with whether it is
    *exact*: a process that has the key fits the subscription, its value range aside (the
    index keeps the range beside each key and the query checks it). A key is exact when the
    subscription names nothing the key does not say (no second kind of criterion, a keyword
    of one word); a hit on an inexact key is checked with `fits`. Empty when nothing anchors
    the subscription."""
    named = _named(spec)
    keys: dict[str, bool] = {}

    def add(key: str, exact: bool) -> None:
        # A key cut to the column's length may stand for another: never exact.
        cut = key[:KEY_MAX_LENGTH]
        keys[cut] = keys.get(cut, False) or (exact and cut == key)

    if spec.buyers:
        for buyer in spec.buyers:
            add(f"b:{buyer}", named == {"b"})
        return keys
    base: dict[str, bool] = {}
    anchor = ""
    if spec.codes:
        anchor = "c"
        base = {f"c:{code}": True for code in spec.codes}
    elif any(spec.keywords.values()):
        anchor = "k"
        for language, keywords in spec.keywords.items():
            for words in keywords:
                key = f"w:{language}:{_anchor_stem(words)}"
                base[key] = base.get(key, False) or len(words) == 1
    elif spec.reserved_msme:
        anchor = "m"
        base = (
            {f"{RESERVED_KEY}:{tag}": True for tag in spec.eligible}
            if spec.eligible
            else {RESERVED_KEY: True}
        )
    if spec.regions and not base:
        for region in spec.regions:
            add(f"r:{region}", named == {"r"})
        return keys
    covered = {anchor, "r"} if spec.regions else {anchor}
    for key, exact in base.items():
        for suffix in [f"@{region}" for region in spec.regions] or [""]:
            add(key + suffix, exact and named <= covered)
    return keys


@dataclass(frozen=True, kw_only=True)
class DocumentFacts:
    """What matching knows of one published process (from its search document)."""

    codes: frozenset[str] = frozenset()  # every prefix: "CPV:45", "CPV:452", ...
    stems: frozenset[str] = frozenset()  # the stems of its words, in its language
    language: str = ""
    region: str = ""  # folded (`region_key`)
    buyer: str = ""
    value: Decimal | None = None
    reserved_msme: bool = False
    # Who may bid on its reserved lots (sizes, "cooperative"); empty when unknown (a document
    # indexed before it was recorded): then any MSME subscriber is taken to fit.
    reserved_for: frozenset[str] = frozenset()

    @property
    def reserved_tags(self) -> frozenset[str]:
        """The subscribers it is reserved for, as `MatchSpec.eligible` names them."""
        return self.reserved_for or RESERVED_TAGS

    def keys(self) -> set[str]:
        """Every index key a subscription it fits may have."""
        base = {f"c:{code}" for code in self.codes}
        base |= {f"w:{self.language}:{stem}" for stem in self.stems}
        if self.reserved_msme:
            base.add(RESERVED_KEY)
            base |= {f"{RESERVED_KEY}:{tag}" for tag in self.reserved_tags}
        keys = {_key(key) for key in base}
        if self.region:
            keys |= {_key(f"{key}@{self.region}") for key in base}
            keys.add(_key(f"r:{self.region}"))
        if self.buyer:
            keys.add(_key(f"b:{self.buyer}"))
        return keys


def document_facts(
    *,
    title: str,
    body: str,
    language: str,
    codes: Iterable[tuple[str, str]],
    region: str,
    buyer: str,
    value: Decimal | None,
    reserved_msme: bool,
    reserved_for: str = "",
) -> DocumentFacts:
    """The facts of a process from its search document's fields and its (scheme, prefix)
    classification codes."""
    return DocumentFacts(
        codes=frozenset(f"{scheme}:{prefix}" for scheme, prefix in codes),
        stems=frozenset(stems(joined([title, body]), language)),
        language=language,
        region=region_key(region),
        buyer=buyer,
        value=value,
        reserved_msme=reserved_msme,
        reserved_for=frozenset(reserved_for.split()),
    )


def fits(spec: MatchSpec, facts: DocumentFacts) -> bool:
    """Whether a process with `facts` fits the subscription with `spec`: one of each list of
    criteria that is not empty, the value in range, reserved when asked."""
    if spec.buyers and facts.buyer not in spec.buyers:
        return False
    if spec.codes and not spec.codes & facts.codes:
        return False
    if spec.regions and facts.region not in spec.regions:
        return False
    if any(spec.keywords.values()) and not any(
        facts.stems.issuperset(words) for words in spec.keywords.get(facts.language, ())
    ):
        return False
    if not value_fits(spec.value_min, spec.value_max, facts.value):
        return False
    if not spec.reserved_msme:
        return True
    return facts.reserved_msme and (not spec.eligible or bool(spec.eligible & facts.reserved_tags))
