"""Benchmark the search: latency of typical queries on N tenders, beside tantivy on the same.

1. Builds N synthetic tenders (`search_world.py`: the skeleton of `gen_ocds.py`'s processes,
   with titles, descriptions, items, buyers and references in Spanish, Portuguese, English and
   French) into the product's real index, through `search.services.search_documents_add` (what
   `pregon search reindex` uses) in batches of 2,000: documents, classification codes,
   full-text entries, vocabulary; then `optimize` (segments merged, planner statistics). SQLite:
   a database file in `$PREGON_BENCH_CACHE/search-N-SCHEMA/`, kept for the next run;
   PostgreSQL: the database of `--database-url` (its name must contain "bench"), kept while it
   holds the same N documents, new migrations applied in place (then `VACUUM FULL`). SCHEMA
   names the search app's latest migration, so on SQLite a change of the index's structures
   builds again.
2. Builds a tantivy index of the same documents, read back from the database (one field pair,
   title and body, per language, each with its Snowball stemmer and ASCII folding, the title
   boosted ten times; facet values as raw fast fields; value and closing date as fast numeric
   fields), kept beside the database.
3. Runs a fixed set of typical queries (single words in the four languages, two words, misspelled
   words, words with facets and ranges, facet-only browsing by closing date, a reference and an
   ocid) through `search.selectors.search_run` (what `/api/v1/search` and the portal's list
   call: count, page of 20 highlighted hits, facet counts) on one open database connection (with
   `--new-connection`, a new one for each query, as each request gets on SQLite: the time to
   open one is printed apart); and the same queries on tantivy (count, top 20 with their stored
   title and description, a terms aggregation per facet over all matches). Every query runs
   `--repeat` times after one warm-up run, alternating the two engines.

Usage: .venv/bin/python benchmarks/search.py --tenders N --backend sqlite|postgresql
       [--repeat 5] [--database-url postgres://postgres@127.0.0.1:5432/h_searchbench]
       [--rebuild] [--new-connection] [--profile NAME] [--build-only]

Each query's median wall time is printed with its median CPU time (this thread's: what other
work on a shared machine stretches least). `PREGON_BENCH_SQLITE_MMAP=BYTES` sets
`PRAGMA mmap_size` on every SQLite connection, to measure memory-mapped reads (the product's
settings do not set it).

Progress goes to standard error, the figures to standard output; the last line is
`p50_ms=… p95_ms=… tantivy_p95_ms=… ratio=…` (percentiles over every timed run of every query;
ratio = ours p95 / tantivy's p95).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import django
from search_world import NOW, World

CACHE = Path(os.environ.get("PREGON_BENCH_CACHE", "/tmp/pregon-bench"))
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/h_searchbench"
BATCH = 2_000
LANGUAGE_NAMES = {"en": "english", "es": "spanish", "pt": "portuguese", "fr": "french"}
FACETS = ("buyer", "country", "region", "method", "category", "status", "language")
FACET_COLUMNS = {"buyer": "buyer_id"}
TITLE_BOOST = 10.0


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load_avg() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile (nan for no values)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


# ---------------------------------------------------------------------------------------------
# the database


def schema_name() -> str:
    """The search app's latest migration: a change of the index's structures builds again."""
    folder = Path(__file__).resolve().parents[1] / "src" / "pregon" / "search" / "migrations"
    return sorted(path.stem for path in folder.glob("0*.py"))[-1].split("_")[0]


def setup_django(work: Path, database_url: str | None) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "pregon.settings"
    os.environ["PREGON_ENV"] = "development"
    os.environ["DEBUG"] = "0"  # DEBUG records every query and its parameters: not production
    os.environ["PREGON_VAR_DIR"] = str(work)
    os.environ["PREGON_LOG_ORIGIN"] = "bench.example/pregon/log"
    os.environ["LOG_LEVEL"] = "WARNING"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    django.setup()


def build(tenders: int, work: Path, *, postgresql: bool) -> None:
    """Load `tenders` synthetic tenders into the (empty, migrated) index."""
    from pregon.search.backends import backend  # noqa: PLC0415 (after django.setup)
    from pregon.search.documents import document_from_release  # noqa: PLC0415
    from pregon.search.services import IndexEntry, search_documents_add  # noqa: PLC0415

    world = World(tenders)
    started = time.perf_counter()
    batch: list[IndexEntry] = []
    for number in range(1, tenders + 1):
        release = world.release(number)
        data = document_from_release(release)
        assert data is not None
        date = dt.datetime.fromisoformat(release["date"].replace("Z", "+00:00"))
        batch.append(IndexEntry(data=data, last_seq=number, date=date))
        if len(batch) == BATCH or number == tenders:
            search_documents_add(batch)
            batch = []
            if number % (BATCH * 25) == 0 or number == tenders:
                elapsed = time.perf_counter() - started
                progress(f"  indexed {number:,}/{tenders:,} tenders in {elapsed:.0f} s")
    progress("  optimize (merge the full-text segments, planner statistics) ...")
    backend().optimize()
    (work / "built.json").write_text(
        json.dumps({"tenders": tenders, "seconds": round(time.perf_counter() - started, 1)})
    )


def prepare(args: argparse.Namespace) -> tuple[Path, dict[str, Any]]:
    """The database of N tenders, built when not cached; returns its folder and build facts."""
    from django.core.management import call_command  # noqa: PLC0415

    # PostgreSQL's database is migrated in place (its migrations rewrite what they change), so
    # its folder (the tantivy index, the build's facts) is named after the database instead.
    kept = schema_name() if args.backend == "sqlite" else args.database_url.rsplit("/", 1)[-1]
    work = CACHE / f"search-{args.tenders}-{kept}-{args.backend}"
    if args.rebuild and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    database_url = args.database_url if args.backend == "postgresql" else None
    if database_url and "bench" not in database_url.rsplit("/", 1)[-1]:
        raise SystemExit("the PostgreSQL database's name must contain 'bench' (it is emptied)")
    setup_django(work, database_url)
    from pregon.search.models import SearchDocument  # noqa: PLC0415

    built = work / "built.json"
    fresh = not built.exists()
    if not fresh:
        from django.db import connection  # noqa: PLC0415
        from django.db.migrations.executor import MigrationExecutor  # noqa: PLC0415

        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        call_command("migrate", verbosity=0)
        fresh = SearchDocument.objects.count() != args.tenders
        if pending and database_url and not fresh:
            # A migration that rewrote the documents leaves the table twice its size and the
            # visibility map empty: compacted as a fresh build would be.
            progress(f"migrated in place ({len(pending)} migrations): VACUUM FULL, ANALYZE ...")
            connection.close()
            with connection.cursor() as cursor:  # outside a transaction: VACUUM
                cursor.execute("VACUUM FULL")
                cursor.execute("VACUUM ANALYZE")
    if fresh:
        progress(f"building the index of {args.tenders:,} tenders in {work} ...")
        if database_url:
            call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
        SearchDocument.objects.all().delete()
        shutil.rmtree(work / "tantivy", ignore_errors=True)
        built.unlink(missing_ok=True)
        build(args.tenders, work, postgresql=bool(database_url))
        if database_url:
            from django.db import connection  # noqa: PLC0415

            connection.close()
            with connection.cursor() as cursor:  # outside a transaction: VACUUM
                cursor.execute("VACUUM ANALYZE")
    facts = json.loads(built.read_text())
    return work, facts


# ---------------------------------------------------------------------------------------------
# the queries


@dataclass(frozen=True)
class Case:
    """One query: a name, the search's parameters, and what it shows."""

    name: str
    kind: str
    params: dict[str, Any] = field(default_factory=dict)


def cases(reference: str, ocid: str) -> list[Case]:
    """The fixed set of typical queries (the reference and ocid of one process of the data)."""
    open_now = {"status": "active", "closing_after": NOW}
    return [
        Case("es: hospital", "word", {"text": "hospital"}),
        Case("es: jeringas", "word", {"text": "jeringas"}),
        Case("pt: merenda", "word", {"text": "merenda"}),
        Case("pt: limpeza", "word", {"text": "limpeza"}),
        Case("en: laptop", "word", {"text": "laptop"}),
        Case("en: training", "word", {"text": "training"}),
        Case("fr: véhicules", "word", {"text": "véhicules"}),
        Case("fr: nettoyage", "word", {"text": "nettoyage"}),
        Case("es: mobiliario oficina", "two words", {"text": "mobiliario oficina"}),
        Case("en: road resurfacing", "two words", {"text": "road resurfacing"}),
        Case("pt: merenda escolar", "two words", {"text": "merenda escolar"}),
        Case("fr: gants chirurgicaux", "two words", {"text": "gants chirurgicaux"}),
        Case("misspelled: hopsital", "misspelled", {"text": "hopsital"}),
        Case("misspelled: jerignas", "misspelled", {"text": "jerignas"}),
        Case(
            "aseo + CPV 90 + CL + value 10k-1M",
            "word + facets",
            {
                "text": "aseo",
                "classification": "90000000",
                "country": "CL",
                "value_min": Decimal(10_000),
                "value_max": Decimal(1_000_000),
            },
        ),
        Case(
            "hospital + PE + goods + open",
            "word + facets",
            {"text": "hospital", "country": "PE", "category": "goods", **open_now},
        ),
        Case(
            "browse: open, BR, works, by closing",
            "facets only",
            {"country": "BR", "category": "works", "order": "closing", **open_now},
        ),
        Case(
            "browse: open, fr, by closing",
            "facets only",
            {"language": "fr", "order": "closing", **open_now},
        ),
        Case("reference", "reference", {"text": reference}),
        Case("ocid", "reference", {"text": ocid}),
    ]


# ---------------------------------------------------------------------------------------------
# tantivy


class Tantivy:
    """The peer: the same documents in a tantivy index, and the same queries on it."""

    def __init__(self, work: Path) -> None:
        import tantivy  # noqa: PLC0415 (the bench group's)

        self.tantivy = tantivy
        self.path = work / "tantivy"
        builder = tantivy.SchemaBuilder()
        builder.add_unsigned_field("id", stored=True, indexed=True, fast=True)
        builder.add_text_field("title", stored=True, tokenizer_name="raw", index_option="basic")
        builder.add_text_field(
            "description", stored=True, tokenizer_name="raw", index_option="basic"
        )
        self.text_fields = []
        for language in [*LANGUAGE_NAMES, "none"]:
            for part in ("title", "body"):
                name = f"{part}_{language}"
                builder.add_text_field(
                    name, tokenizer_name=f"pregon_{language}", index_option="freq"
                )
                self.text_fields.append(name)
        for name in (*FACETS, "reserved", "codes", "groups", "reference", "ocid"):
            builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
        builder.add_float_field("value", indexed=True, fast=True)
        builder.add_integer_field("closing", indexed=True, fast=True)
        self.schema = builder.build()
        exists = self.path.exists()
        self.path.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(self.path), reuse=exists)
        for language in [*LANGUAGE_NAMES, "none"]:
            analyzer = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            analyzer = analyzer.filter(tantivy.Filter.lowercase()).filter(
                tantivy.Filter.ascii_fold()
            )
            if language in LANGUAGE_NAMES:
                analyzer = analyzer.filter(tantivy.Filter.stemmer(LANGUAGE_NAMES[language]))
            self.index.register_tokenizer(f"pregon_{language}", analyzer.build())
        self.built = exists and (self.path / "built").exists()

    def build(self) -> float:
        """Index every search document of the database; returns the seconds it took."""
        from pregon.search.models import SearchCode, SearchDocument  # noqa: PLC0415

        started = time.perf_counter()
        writer = self.index.writer(heap_size=512_000_000, num_threads=1)
        total = SearchDocument.objects.count()
        columns = [
            "pk", "title", "description", "body", "language", "buyer_id", "country", "region",
            "method", "category", "status", "reserved_msme", "value_amount", "closing_at",
            "reference_key", "ocid",
        ]  # fmt: skip
        last = 0
        done = 0
        while True:
            rows = list(
                SearchDocument.objects.filter(pk__gt=last)
                .order_by("pk")
                .values_list(*columns)[: BATCH * 5]
            )
            if not rows:
                break
            codes: dict[int, list[tuple[str, str]]] = {}
            for pk, scheme, prefix in SearchCode.objects.filter(
                document_id__gt=last, document_id__lte=rows[-1][0]
            ).values_list("document_id", "scheme", "prefix"):
                codes.setdefault(pk, []).append((scheme, prefix))
            for row in rows:
                values = dict(zip(columns, row, strict=True))
                language = values["language"] or "none"
                document = self.tantivy.Document()
                document.add_unsigned("id", values["pk"])
                document.add_text("title", values["title"])
                document.add_text("description", values["description"])
                document.add_text(f"title_{language}", values["title"])
                document.add_text(f"body_{language}", values["body"])
                for name in FACETS:
                    column = FACET_COLUMNS.get(name, name)
                    if values[column]:
                        document.add_text(name, values[column])
                document.add_text("reserved", "1" if values["reserved_msme"] else "0")
                for scheme, prefix in codes.get(values["pk"], []):
                    document.add_text("codes", prefix)
                    document.add_text("codes", f"{scheme} {prefix}")
                    if len(prefix) == 2:
                        document.add_text("groups", f"{scheme} {prefix}")
                if values["value_amount"] is not None:
                    document.add_float("value", float(values["value_amount"]))
                if values["closing_at"] is not None:
                    document.add_integer("closing", int(values["closing_at"].timestamp()))
                document.add_text("reference", values["reference_key"])
                document.add_text("ocid", values["ocid"])
                writer.add_document(document)
            done += len(rows)
            last = rows[-1][0]
            if done % (BATCH * 50) == 0 or done == total:
                progress(f"  tantivy: {done:,}/{total:,} documents")
        writer.commit()
        writer.wait_merging_threads()
        (self.path / "built").write_text("ok")
        self.index.reload()
        return time.perf_counter() - started

    def _words(self, text: str, *, fuzzy: bool) -> Any:
        from pregon.search.text import words  # noqa: PLC0415

        tantivy = self.tantivy
        boosts = {name: TITLE_BOOST for name in self.text_fields if name.startswith("title_")}
        parts = []
        for word in words(text):
            query = self.index.parse_query(
                word,
                self.text_fields,
                field_boosts=boosts,
                fuzzy_fields=dict.fromkeys(self.text_fields, (False, 2, True)) if fuzzy else {},
            )
            parts.append((tantivy.Occur.Must, query))
        return parts

    def query(self, params: dict[str, Any], *, fuzzy: bool = False) -> Any:
        tantivy = self.tantivy
        Query = tantivy.Query  # noqa: N806
        must = self._words(params.get("text", ""), fuzzy=fuzzy)
        for name in FACETS:
            if params.get(name):
                must.append((tantivy.Occur.Must, Query.term_query(self.schema, name, params[name])))
        if params.get("classification"):
            from pregon.search.documents import code_significant  # noqa: PLC0415

            prefix = code_significant(params["classification"])
            must.append((tantivy.Occur.Must, Query.term_query(self.schema, "codes", prefix)))
        if params.get("value_min") is not None or params.get("value_max") is not None:
            low, high = params.get("value_min"), params.get("value_max")
            must.append(
                (
                    tantivy.Occur.Must,
                    Query.range_query(
                        self.schema,
                        "value",
                        tantivy.FieldType.Float,
                        float(low) if low is not None else None,
                        float(high) if high is not None else None,
                    ),
                )
            )
        if params.get("closing_after") is not None:
            low = int(params["closing_after"].timestamp())
            must.append(
                (
                    tantivy.Occur.Must,
                    Query.range_query(self.schema, "closing", tantivy.FieldType.Integer, low, None),
                )
            )
        if not must:
            return Query.all_query()
        return Query.boolean_query(must)

    def run(self, params: dict[str, Any]) -> int:
        """The query as the product answers it: count, 20 hits with their texts, the facets."""
        from pregon.search.text import reference_key  # noqa: PLC0415

        tantivy = self.tantivy
        searcher = self.index.searcher()
        text = params.get("text", "")
        order = params.get("order", "relevance")
        references = []
        if text and reference_key(text):
            found = tantivy.Query.boolean_query(
                [
                    (
                        tantivy.Occur.Should,
                        tantivy.Query.term_query(self.schema, "reference", reference_key(text)),
                    ),
                    (tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "ocid", text)),
                ]
            )
            references = searcher.search(found, 20).hits
        query = self.query(params)
        kwargs: dict[str, Any] = {}
        if order == "closing" or (order == "relevance" and not text):
            kwargs = {"order_by_field": "closing", "order": tantivy.Order.Asc}
        result = searcher.search(query, 20, count=True, **kwargs)
        if result.count == 0 and text and not references:
            query = self.query(params, fuzzy=True)
            result = searcher.search(query, 20, count=True, **kwargs)
        hits = [*references, *result.hits][:20]
        for _score, address in hits:
            document = searcher.doc(address)
            document.get_first("title")
            document.get_first("description")
        aggregations = {
            name: {"terms": {"field": name, "size": 200}} for name in (*FACETS, "groups")
        }
        searcher.aggregate(query, aggregations)
        return int(result.count) + len(references)


# ---------------------------------------------------------------------------------------------
# running


@dataclass
class Timing:
    case: Case
    ours_ms: list[float] = field(default_factory=list)
    peer_ms: list[float] = field(default_factory=list)
    ours_cpu: list[float] = field(default_factory=list)
    peer_cpu: list[float] = field(default_factory=list)
    ours_count: str = ""
    peer_count: int = 0
    fuzzy: bool = False


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = function()
    return (time.perf_counter() - start) * 1000, value


def cpu_timed(function: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall and CPU milliseconds of this thread (the CPU time is not stretched by other work
    on the machine; the wall time is the latency)."""
    start, cpu = time.perf_counter(), time.thread_time()
    value = function()
    return (time.perf_counter() - start) * 1000, (time.thread_time() - cpu) * 1000, value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tenders", type=int, default=100_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query")
    parser.add_argument("--rebuild", action="store_true", help="build the index again")
    parser.add_argument(
        "--new-connection",
        action="store_true",
        help="a new database connection for each query, as each request gets on SQLite"
        " (default: one connection, opened before the runs)",
    )
    parser.add_argument("--profile", help="profile this query's runs (by name) and print them")
    parser.add_argument(
        "--build-only", action="store_true", help="build the indexes (if needed), run no query"
    )
    args = parser.parse_args(argv)

    work, facts = prepare(args)
    from django.db import connection  # noqa: PLC0415

    from pregon.search.models import SearchDocument  # noqa: PLC0415
    from pregon.search.selectors import SearchQuery, search_run  # noqa: PLC0415

    peer = Tantivy(work)
    if not peer.built:
        progress("building the tantivy index of the same documents ...")
        facts["tantivy_seconds"] = round(peer.build(), 1)
        (work / "built.json").write_text(json.dumps(facts))
    if args.build_only:
        progress(f"built: {facts}")
        return 0
    sample = SearchDocument.objects.order_by("pk")[args.tenders // 3]
    queries = cases(sample.reference, sample.ocid)

    vendor = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if vendor == "sqlite" else "SHOW server_version")
        version = cursor.fetchone()[0]
    size = ""
    if vendor == "sqlite":
        database = Path(connection.settings_dict["NAME"])
        size = f", {database.stat().st_size / 2**20:,.0f} MB"
    print(
        f"search: {args.tenders:,} tenders on {vendor} {version}{size}; built in"
        f" {facts.get('seconds', '?')} s (tantivy {facts.get('tantivy_seconds', '?')} s); {work}"
    )
    print(f"load average before {load_avg()}; {args.repeat} timed runs per query after a warm-up")

    opening = []
    for _run in range(10):
        connection.close()
        opened, _value = timed(connection.ensure_connection)
        opening.append(opened)
    print(f"opening a database connection: median {statistics.median(opening):.1f} ms")

    mmap = os.environ.get("PREGON_BENCH_SQLITE_MMAP")
    if mmap and vendor == "sqlite":
        from django.db.backends.signals import connection_created  # noqa: PLC0415

        def pragma(sender: Any, connection: Any, **kwargs: Any) -> None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA mmap_size={int(mmap)}")

        connection_created.connect(pragma)
        connection.close()
        print(f"experiment: PRAGMA mmap_size={int(mmap)} on every connection")

    timings = [Timing(case) for case in queries]
    profiler = None
    if args.profile:
        import cProfile  # noqa: PLC0415

        profiler = cProfile.Profile()
    for run in range(args.repeat + 1):
        for timing in timings:
            params = timing.case.params
            if args.new_connection:
                connection.close()
            profiling = profiler is not None and timing.case.name == args.profile and run > 0
            if profiling:
                profiler.enable()
            ours, ours_cpu, results = cpu_timed(
                lambda params=params: search_run(SearchQuery(**params))
            )
            if profiling:
                profiler.disable()
            theirs, theirs_cpu, count = cpu_timed(lambda params=params: peer.run(params))
            if run == 0:
                timing.ours_count = f"{results.total:,}{'' if results.total_exact else '+'}"
                timing.fuzzy = results.fuzzy
                timing.peer_count = count
                continue
            timing.ours_ms.append(ours)
            timing.peer_ms.append(theirs)
            timing.ours_cpu.append(ours_cpu)
            timing.peer_cpu.append(theirs_cpu)

    print(
        f"\n  {'query':<38} {'kind':<13} {'results':>8} {'tantivy':>8}"
        f" {'p50 ms':>7} {'max ms':>7} {'cpu ms':>7} {'tantivy p50':>11} {'cpu ms':>7} {'ratio':>6}"
    )
    for timing in timings:
        ours = statistics.median(timing.ours_ms)
        theirs = statistics.median(timing.peer_ms)
        label = timing.case.name + (" (fuzzy)" if timing.fuzzy else "")
        print(
            f"  {label:<38} {timing.case.kind:<13} {timing.ours_count:>8}"
            f" {timing.peer_count:>8,} {ours:7.1f} {max(timing.ours_ms):7.1f}"
            f" {statistics.median(timing.ours_cpu):7.1f} {theirs:11.2f}"
            f" {statistics.median(timing.peer_cpu):7.2f} {ours / theirs:5.1f}x"
        )
    ours_all = [value for timing in timings for value in timing.ours_ms]
    peer_all = [value for timing in timings for value in timing.peer_ms]
    p50, p95 = percentile(ours_all, 50), percentile(ours_all, 95)
    peer_p50, peer_p95 = percentile(peer_all, 50), percentile(peer_all, 95)
    ours_cpu = [value for timing in timings for value in timing.ours_cpu]
    peer_cpu = [value for timing in timings for value in timing.peer_cpu]
    print(
        f"\n  cpu time (this thread; tantivy's searches use its own threads too): ours p50"
        f" {percentile(ours_cpu, 50):.1f} ms p95 {percentile(ours_cpu, 95):.1f} ms;"
        f" tantivy p50 {percentile(peer_cpu, 50):.2f} ms p95 {percentile(peer_cpu, 95):.2f} ms"
    )
    print(
        f"\n  ours:    p50 {p50:.1f} ms  p95 {p95:.1f} ms  (target p95 under 50 ms:"
        f" {'met' if p95 < 50 else 'NOT MET'})"
    )
    print(
        f"  tantivy: p50 {peer_p50:.2f} ms  p95 {peer_p95:.2f} ms; ratio of the p95s"
        f" {p95 / peer_p95:.1f}x (target within 2x: {'met' if p95 <= 2 * peer_p95 else 'NOT MET'})"
    )
    print(f"load average after {load_avg()}")
    if profiler is not None:
        import pstats  # noqa: PLC0415

        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(15)
    print(
        f"p50_ms={p50:.1f} p95_ms={p95:.1f} tantivy_p95_ms={peer_p95:.2f} ratio={p95 / peer_p95:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
