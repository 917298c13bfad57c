"""The matcher's pure part: each criterion, and the index that must never miss a fit."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pregon.alerts.matching import (
    Criteria,
    DocumentFacts,
    MatchSpec,
    document_facts,
    fits,
    match_spec,
    subscription_keys,
    value_fits,
)


def facts(**kwargs: object) -> DocumentFacts:
    values: dict[str, object] = {
        "title": "Reparación del hospital de Talca",
        "body": "Obras civiles y equipos médicos\nMinisterio de Salud",
        "language": "es",
        "codes": [("CPV", "45"), ("CPV", "452"), ("CPV", "4521"), ("CPV", "45210000")],
        "region": "Región del Maule",
        "buyer": "CL-RUT-61000000-1",
        "value": Decimal("1000000"),
        "reserved_msme": False,
    }
    values.update(kwargs)
    return document_facts(**values)  # type: ignore[arg-type]


def spec(**kwargs: object) -> MatchSpec:
    return match_spec(Criteria(**kwargs))  # type: ignore[arg-type]


def test_a_code_finds_its_descendants_in_its_scheme_only() -> None:
    assert fits(spec(codes=(("CPV", "45000000"),)), facts())
    assert fits(spec(codes=(("CPV", "4521"),)), facts())
    assert fits(spec(codes=(("CPV", "45210000-2"),)), facts())
    assert not fits(spec(codes=(("CPV", "4522"),)), facts())
    assert not fits(spec(codes=(("UNSPSC", "45000000"),)), facts())
    # One of the codes is enough.
    assert fits(spec(codes=(("CPV", "33"), ("CPV", "45"))), facts())


def test_keywords_are_stemmed_and_folded_in_the_language_of_the_process() -> None:
    assert fits(spec(keywords=("hospitales",)), facts())
    assert fits(spec(keywords=("MÉDICO",)), facts())
    assert fits(spec(keywords=("medicos",)), facts())
    assert not fits(spec(keywords=("ambulancia",)), facts())
    # Every word of a keyword is needed; one keyword of several is enough.
    assert fits(spec(keywords=("equipos médicos",)), facts())
    assert not fits(spec(keywords=("equipos dentales",)), facts())
    assert fits(spec(keywords=("ambulancia", "hospital")), facts())
    # An English keyword finds an English process by its stem.
    english = facts(title="Hospital repairs", body="Roofing works", language="en")
    assert fits(spec(keywords=("hospitals",)), english)
    assert fits(spec(keywords=("roof",)), english)


def test_regions_buyers_values_and_reservation() -> None:
    assert fits(spec(regions=("region del maule",)), facts())
    assert fits(spec(regions=("Región  del Maule",)), facts())
    assert not fits(spec(regions=("Región de Ñuble",)), facts())
    assert fits(spec(buyers=("CL-RUT-61000000-1",)), facts())
    assert not fits(spec(buyers=("CL-RUT-62000000-2",)), facts())
    assert fits(spec(regions=("Maule",), value_min=Decimal(1_000_000)), facts(region="Maule"))
    assert not fits(spec(regions=("Maule",), value_min=Decimal(1_000_001)), facts(region="Maule"))
    assert fits(spec(regions=("Maule",), value_max=Decimal(1_000_000)), facts(region="Maule"))
    assert not fits(spec(regions=("Maule",), value_max=Decimal(999_999)), facts(region="Maule"))
    # A range needs a value.
    assert not fits(
        spec(regions=("Maule",), value_min=Decimal(0)), facts(region="Maule", value=None)
    )
    assert not fits(spec(reserved_msme=True), facts())
    assert fits(spec(reserved_msme=True), facts(reserved_msme=True))


def test_every_named_criterion_must_hold() -> None:
    both = spec(codes=(("CPV", "45"),), regions=("Región del Maule",))
    assert fits(both, facts())
    assert not fits(both, facts(region="Región de Ñuble"))
    assert not fits(both, facts(codes=[("CPV", "33")]))


def test_the_keys_are_those_of_the_anchor_and_say_whether_they_decide_alone() -> None:
    # (A key that "decides alone" is a match whenever a process has it, value range aside.)
    assert subscription_keys(spec(buyers=("B1",), codes=(("CPV", "45"),))) == {"b:B1": False}
    assert subscription_keys(spec(buyers=("B1",))) == {"b:B1": True}
    assert subscription_keys(spec(codes=(("CPV", "45210000"),), keywords=("x",))) == {
        "c:CPV:4521": False
    }
    assert subscription_keys(
        spec(codes=(("CPV", "45"),), regions=("Maule", "Biobío"), value_min=Decimal(5))
    ) == {"c:CPV:45@maule": True, "c:CPV:45@biobio": True}
    assert subscription_keys(spec(regions=("Maule",))) == {"r:maule": True}
    assert subscription_keys(spec(regions=("Maule",), reserved_msme=True)) == {"m:msme@maule": True}
    keys = subscription_keys(spec(keywords=("equipos médicos", "hospital")))
    # One key per keyword and language: the longest stem of the keyword in it; a keyword of
    # two words is checked word by word.
    assert {key.split(":")[1] for key in keys} == {"en", "es", "pt", "fr", ""}
    assert keys["w:es:equip"] is False
    assert keys["w:es:hospital"] is True
    assert subscription_keys(spec()) == {}


def test_reserved_for_my_scale_reads_who_the_lot_is_reserved_for() -> None:
    def mine(*eligible: str) -> MatchSpec:
        return match_spec(Criteria(reserved_msme=True), eligible=frozenset(eligible))

    micro_and_small = facts(reserved_msme=True, reserved_for="micro small")
    assert fits(mine("micro"), micro_and_small)
    assert fits(mine("small"), micro_and_small)
    assert not fits(mine("medium"), micro_and_small)
    assert not fits(mine("large"), micro_and_small)
    # A large cooperative fits a lot reserved for cooperatives of any size too.
    with_cooperatives = facts(reserved_msme=True, reserved_for="cooperative medium micro small")
    assert fits(mine("large", "cooperative"), with_cooperatives)
    assert not fits(mine("large"), with_cooperatives)
    # Who the subscriber is not known: any lot reserved for MSMEs; a document indexed before
    # its reservation was recorded: any MSME subscriber.
    assert fits(mine(), micro_and_small)
    assert fits(mine("medium"), facts(reserved_msme=True))
    assert not fits(mine("micro"), facts())
    assert subscription_keys(mine("small")) == {"m:msme:small": True}
    assert subscription_keys(mine()) == {"m:msme": True}
    index_keys = micro_and_small.keys()  # a process's keys (a set, not a mapping)
    assert "m:msme:small" in index_keys
    assert "m:msme:medium" not in index_keys


def test_the_spec_survives_its_json() -> None:
    original = spec(
        codes=(("CPV", "45"),),
        keywords=("hospital",),
        regions=("Maule",),
        buyers=("B",),
        value_min=Decimal("1.50"),
        value_max=Decimal(10),
        reserved_msme=True,
    )
    assert MatchSpec.from_json(original.as_json()) == original
    mine = match_spec(Criteria(reserved_msme=True), eligible=frozenset({"small", "cooperative"}))
    assert MatchSpec.from_json(mine.as_json()) == mine


_WORDS = st.sampled_from(
    ["hospital", "hospitales", "obras", "computador", "computadores", "médico", "roof", "école"]
)
_CODES = st.sampled_from(["45", "452", "4521", "45210000", "33", "331", "30213000", "43211902"])
_REGIONS = st.sampled_from(["Maule", "Biobío", "Ñuble", "Región Metropolitana"])
_LANGUAGES = st.sampled_from(["en", "es", "pt", "fr", ""])


@settings(max_examples=300, deadline=None)
@given(
    codes=st.lists(st.tuples(st.sampled_from(["CPV", "UNSPSC"]), _CODES), max_size=2),
    keywords=st.lists(st.lists(_WORDS, min_size=1, max_size=2).map(" ".join), max_size=2),
    regions=st.lists(_REGIONS, max_size=2),
    buyers=st.lists(st.sampled_from(["B1", "B2"]), max_size=1),
    reserved=st.booleans(),
    eligible=st.sets(
        st.sampled_from(["micro", "small", "medium", "large", "cooperative"]), max_size=2
    ),
    title=st.lists(_WORDS, min_size=1, max_size=4).map(" ".join),
    language=_LANGUAGES,
    doc_codes=st.lists(st.tuples(st.sampled_from(["CPV", "UNSPSC"]), _CODES), max_size=3),
    region=_REGIONS,
    buyer=st.sampled_from(["B1", "B2"]),
    doc_reserved=st.booleans(),
    reserved_for=st.sets(st.sampled_from(["micro", "small", "medium", "cooperative"]), max_size=3),
    value=st.sampled_from([None, Decimal(10), Decimal(1000)]),
    low=st.sampled_from([None, Decimal(100)]),
)
def test_the_index_never_misses_a_fit(
    codes: list[tuple[str, str]],
    keywords: list[str],
    regions: list[str],
    buyers: list[str],
    reserved: bool,
    eligible: set[str],
    title: str,
    language: str,
    doc_codes: list[tuple[str, str]],
    region: str,
    buyer: str,
    doc_reserved: bool,
    reserved_for: set[str],
    value: Decimal | None,
    low: Decimal | None,
) -> None:
    criteria = Criteria(
        codes=tuple(codes),
        keywords=tuple(keywords),
        regions=tuple(regions),
        buyers=tuple(buyers),
        reserved_msme=reserved,
        value_min=low,
    )
    if criteria.is_empty:
        return
    # A process has every prefix of its codes, as the search stores them.
    prefixes = {
        (scheme, code[:length]) for scheme, code in doc_codes for length in range(2, len(code) + 1)
    }
    process = facts(
        title=title,
        body="",
        language=language,
        codes=sorted(prefixes),
        region=region,
        buyer=buyer,
        reserved_msme=doc_reserved,
        reserved_for=" ".join(sorted(reserved_for)) if doc_reserved else "",
        value=value,
    )
    subscription = match_spec(criteria, eligible=frozenset(eligible))
    keys = subscription_keys(subscription)
    hits = keys.keys() & process.keys()
    if fits(subscription, process):
        assert hits
    if any(keys[key] for key in hits) and value_fits(low, None, value):
        # An exact key never claims a fit the full check refuses.
        assert fits(subscription, process)
