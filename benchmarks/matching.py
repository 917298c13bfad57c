"""Benchmark alert matching: N new tenders against M subscriptions, the real matcher on a real
database.

Builds a fresh database (SQLite in a temporary directory by default; PostgreSQL with
``--backend postgresql``, in a database whose name contains "bench", dropped and created
again), migrates it, then, with a fixed seed:

1. generates M subscriptions as a population of suppliers would write them (classification
   codes from division to category level, keywords and phrases in Spanish, English, Portuguese
   and French, regions, buyers, value ranges, "reserved for my scale"; daily, immediate or
   webhook-only), and stores them with their match spec and index keys as the service writes
   them (`alerts.matching.match_spec` and `subscription_keys`, in bulk: not timed);
2. generates N tenders as the tenders' mapping publishes them (compiled releases: title,
   description, lots, items with CPV and UNSPSC codes, buyer, region, value, language) and
   indexes them for search (`search.documents.document_from_release`, the search's rows, in
   bulk: not timed);
3. times the matcher the record observer runs at publication, `alerts.services.alerts_match`,
   once per tender in a transaction of its own (index look-up, checks, the deliveries written,
   the sending task enqueued on commit), printing its progress.

The workload's words are made of syllables (a vocabulary of several thousand "product" words
per language, drawn with a Zipf law as real texts are), so stemming and the index see words of
real length and frequency without a dictionary.

Usage: .venv/bin/python benchmarks/matching.py [--tenders 10000] [--subscriptions 100000]
       [--backend sqlite|postgresql] [--database-url postgres://…/h_alerts_bench] [--seed 2026]

Progress goes to standard error; the last line of standard output is
`matched=… seconds=…` (the subscription-tender pairs found, and the matching time).
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import django
from django.core.management import call_command

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/h_alerts_bench"
LANGUAGES = ("es", "en", "pt", "fr")
LANGUAGE_WEIGHTS = (0.6, 0.15, 0.15, 0.1)
REGIONS = [
    "Arica y Parinacota", "Tarapacá", "Antofagasta", "Atacama", "Coquimbo", "Valparaíso",
    "Región Metropolitana", "O'Higgins", "Maule", "Ñuble", "Biobío", "La Araucanía",
    "Los Ríos", "Los Lagos", "Aysén", "Magallanes", "Lima", "Cusco", "Arequipa", "Piura",
    "São Paulo", "Minas Gerais", "Bahia", "Paraná", "Pernambuco", "Ceará", "Québec", "Ontario",
    "Antioquia", "Cundinamarca", "Valle del Cauca", "Jalisco", "Nuevo León", "Oaxaca",
    "Belize District", "Cayo", "San José", "Guanacaste", "Canelones", "Montevideo",
]  # fmt: skip
SYLLABLES = {
    "es": [
        "ca",
        "co",
        "la",
        "lo",
        "ma",
        "me",
        "ni",
        "no",
        "pa",
        "pe",
        "ra",
        "re",
        "sa",
        "se",
        "ta",
        "te",
        "to",
        "ve",
        "vi",
        "zo",
        "cha",
        "que",
        "gui",
        "tri",
        "bra",
    ],
    "en": [
        "ba",
        "be",
        "bo",
        "da",
        "de",
        "do",
        "fa",
        "fe",
        "ga",
        "ge",
        "ka",
        "ke",
        "la",
        "le",
        "li",
        "mo",
        "na",
        "ne",
        "pa",
        "pe",
        "ra",
        "re",
        "ro",
        "sa",
        "se",
        "ta",
    ],
    "pt": [
        "ça",
        "ção",
        "lha",
        "nho",
        "ma",
        "me",
        "mi",
        "pa",
        "pe",
        "pi",
        "ra",
        "re",
        "ri",
        "sa",
        "se",
        "ta",
        "te",
        "to",
        "va",
        "ve",
        "vi",
        "xa",
        "zi",
        "que",
    ],
    "fr": [
        "eau",
        "ou",
        "ai",
        "an",
        "on",
        "in",
        "la",
        "le",
        "ma",
        "me",
        "pa",
        "pe",
        "ra",
        "re",
        "sa",
        "se",
        "ta",
        "te",
        "va",
        "ve",
        "lu",
        "mu",
        "pu",
        "ru",
    ],
}
ENDINGS = {
    "es": ["", "s", "es", "ción", "ciones", "dor", "dores"],
    "en": ["", "s", "ing", "ers", "ed", "ment"],
    "pt": ["", "s", "ções", "dor", "dores", "mento"],
    "fr": ["", "s", "tion", "tions", "eur", "eurs", "ment"],
}
VOCABULARY = 20_000
#: Words followed are product words, out of the commonest thousand (a language's grammar words
#: and the words every tender uses: "supply", "service", "works").
COMMON = 1000
BUYERS = 2000


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _word(rng: random.Random, language: str) -> str:
    stem = "".join(rng.choice(SYLLABLES[language]) for _ in range(rng.randint(3, 4)))
    return stem + rng.choice(ENDINGS[language])


class Workload:
    """The generated world: vocabularies, codes, buyers; everything drawn from one seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words = {
            language: [_word(self.rng, language) for _ in range(VOCABULARY)]
            for language in LANGUAGES
        }
        # Zipf weights: the k-th word is used about 1/k as often as the first.
        zipf = [1 / (rank + 1) for rank in range(VOCABULARY)]
        self.cum_zipf = list(itertools.accumulate(zipf))
        divisions = [f"{number:02d}" for number in (3, 9, 14, 15, 18, 22, 24, 30, 31, 32, 33)]
        divisions += [f"{number:02d}" for number in range(34, 52)]
        divisions += [f"{number:02d}" for number in range(60, 99, 2)]
        # About as many codes as the CPV has (9,454), spread over its divisions.
        self.cpv = [
            f"{division}{self.rng.randint(1, 9)}{self.rng.randint(1, 9)}{self.rng.randint(1, 9)}000"
            for division in divisions
            for _ in range(190)
        ]
        self.unspsc = [
            f"{self.rng.choice([10, 12, 14, 20, 25, 30, 39, 41, 42, 43, 44, 46, 72, 80, 81, 85, 90])}"
            f"{self.rng.randrange(10, 99)}{self.rng.randrange(10, 99)}00"
            for _ in range(600)
        ]
        self.buyers = [f"XX-BUY-{number:05d}" for number in range(BUYERS)]

    def words_of(self, language: str, count: int) -> list[str]:
        """Words of a text: common ones often, rare ones seldom (Zipf)."""
        return self.rng.choices(self.words[language], cum_weights=self.cum_zipf, k=count)

    def keyword_of(self, language: str) -> str:
        """A word someone follows: a product word, not a grammar word."""
        return self.words[language][self.rng.randrange(COMMON, VOCABULARY)]

    def code(self) -> tuple[str, str]:
        if self.rng.random() < 0.8:
            return "CPV", self.rng.choice(self.cpv)
        return "UNSPSC", self.rng.choice(self.unspsc)

    def value(self) -> int:
        return int(self.rng.lognormvariate(15, 1.6))


#: The kinds of subscription and how common each is: what is named (c codes, k keywords,
#: r regions, b buyers, m reserved for MSMEs).
KINDS = {
    "c": 34,
    "k": 22,
    "cr": 15,
    "kr": 10,
    "b": 8,
    "ck": 5,
    "r": 1,
    "mr": 2,
    "bk": 2,
    "ckr": 1,
}


def make_criteria(work: Workload) -> dict[str, Any]:
    """One subscription's criteria, as a supplier would choose them."""
    rng = work.rng
    kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
    criteria: dict[str, Any] = {}
    if "c" in kind:
        codes = []
        for _ in range(rng.randint(1, 3)):
            scheme, code = work.code()
            depth = rng.choices([2, 3, 4, 5], weights=[1, 14, 40, 45])[0]
            codes.append((scheme, code[:depth].ljust(8, "0")))
        criteria["codes"] = tuple(codes)
    if "k" in kind:
        language = rng.choices(LANGUAGES, weights=LANGUAGE_WEIGHTS)[0]
        criteria["keywords"] = tuple(
            " ".join(work.keyword_of(language) for _ in range(2 if rng.random() < 0.2 else 1))
            for _ in range(rng.randint(1, 3))
        )
    if "r" in kind:
        criteria["regions"] = tuple(rng.sample(REGIONS, rng.randint(1, 2)))
    if "b" in kind:
        criteria["buyers"] = tuple(rng.sample(work.buyers, rng.randint(1, 3)))
    if "m" in kind:
        criteria["reserved_msme"] = True
    if kind == "r" or rng.random() < 0.3:
        low = work.value() // 10
        criteria["value_min"] = Decimal(low)
        if rng.random() < 0.5:
            criteria["value_max"] = Decimal(low * rng.randint(5, 100))
    return criteria


def make_release(work: Workload, number: int) -> dict[str, Any]:
    """A compiled release of one tender, as the tenders' mapping publishes it."""
    rng = work.rng
    language = rng.choices(LANGUAGES, weights=LANGUAGE_WEIGHTS)[0]
    buyer = rng.choice(work.buyers)
    ocid = f"ocds-bench-{number:07d}"
    items = []
    for item_number in range(1, rng.randint(2, 4)):
        scheme, code = work.code()
        items.append(
            {
                "id": str(item_number),
                "description": " ".join(work.words_of(language, rng.randint(3, 8))),
                "classification": {"scheme": scheme, "id": code},
            }
        )
    return {
        "ocid": ocid,
        "id": f"{ocid}-tender-1",
        "date": "2026-12-01T12:00:00Z",
        "tag": ["compiled"],
        "language": language,
        "buyer": {"id": buyer, "name": f"Buyer {buyer}"},
        "parties": [
            {
                "id": buyer,
                "name": f"Buyer {buyer}",
                "roles": ["buyer"],
                "address": {"countryName": "Chile", "region": rng.choice(REGIONS)},
            }
        ],
        "tender": {
            "id": f"REF-{number}",
            "title": " ".join(work.words_of(language, rng.randint(4, 9))),
            "description": " ".join(work.words_of(language, rng.randint(20, 60))),
            "status": "active",
            "procurementMethod": "open",
            "mainProcurementCategory": rng.choice(["goods", "works", "services"]),
            "value": {"amount": work.value(), "currency": "CLP"},
            "tenderPeriod": {"endDate": "2027-01-15T15:00:00Z"},
            "lots": [{"id": "1", "title": " ".join(work.words_of(language, 4))}],
            "items": items,
        },
    }


def setup_django(work_dir: Path, database_url: str | None) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "pregon.settings"
    os.environ["PREGON_ENV"] = "development"
    os.environ["PREGON_DEBUG"] = "0"  # DEBUG keeps every query in memory: not production
    os.environ["PREGON_VAR_DIR"] = str(work_dir)
    os.environ["PREGON_LOG_ORIGIN"] = "bench.example/pregon/log"
    os.environ["PREGON_BULK_AUTO"] = "0"
    os.environ["LOG_LEVEL"] = "WARNING"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    django.setup()
    progress("migrating a fresh database ...")
    call_command("migrate", verbosity=0)


def recreate_postgres(url: str) -> None:
    """Drop and create the benchmark's PostgreSQL database (its name must contain "bench")."""
    import psycopg  # noqa: PLC0415 (only for this back end)

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"refusing to drop {name!r}: the database name must contain 'bench'")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def store_subscriptions(work: Workload, count: int) -> None:
    """M subscriptions with their spec and index keys, written in bulk as the service would
    write each one (`subscription_index`)."""
    from pregon.accounts.models import User  # noqa: PLC0415 (models load after setup)
    from pregon.alerts.choices import Frequency, SubscriptionStatus  # noqa: PLC0415
    from pregon.alerts.matching import Criteria, match_spec, subscription_keys  # noqa: PLC0415
    from pregon.alerts.models import (  # noqa: PLC0415
        Subscription,
        SubscriptionKey,
        WebhookEndpoint,
    )

    owners = User.objects.bulk_create(
        User(email=f"hook{number}@bench.example", password="!") for number in range(100)
    )
    hooks = WebhookEndpoint.objects.bulk_create(
        WebhookEndpoint(user=owner, url=f"https://hooks{n}.example/pregon", secret="whsec_bench")
        for n, owner in enumerate(owners)
    )
    batch = 5000
    keys_total = 0
    for start in range(0, count, batch):
        rows: list[Subscription] = []
        keys: list[dict[str, bool]] = []
        for number in range(start, min(start + batch, count)):
            criteria = make_criteria(work)
            spec = match_spec(Criteria(**criteria))
            frequency = work.rng.choices(
                [Frequency.IMMEDIATE, Frequency.DAILY, Frequency.NONE], weights=[70, 25, 5]
            )[0]
            webhook = work.rng.choice(hooks) if frequency == Frequency.NONE else None
            rows.append(
                Subscription(
                    email=f"supplier{number}@bench.example" if webhook is None else "",
                    user=webhook.user if webhook is not None else None,
                    name=f"Subscription {number}",
                    language=work.rng.choice(["es", "en", "pt-br", "fr"]),
                    status=SubscriptionStatus.ACTIVE,
                    frequency=frequency,
                    webhook=webhook,
                    codes=[{"scheme": s, "code": c} for s, c in criteria.get("codes", ())],
                    keywords=list(criteria.get("keywords", ())),
                    regions=list(criteria.get("regions", ())),
                    buyers=list(criteria.get("buyers", ())),
                    value_min=criteria.get("value_min"),
                    value_max=criteria.get("value_max"),
                    reserved_msme=criteria.get("reserved_msme", False),
                    spec=spec.as_json(),
                )
            )
            keys.append(subscription_keys(spec))
        stored = Subscription.objects.bulk_create(rows)
        index = [
            SubscriptionKey(
                subscription=subscription,
                key=key,
                exact=exact,
                value_min=subscription.value_min,
                value_max=subscription.value_max,
                frequency=subscription.frequency,
                webhook_id=subscription.webhook_id,
            )
            for subscription, subscription_keys_ in zip(stored, keys, strict=True)
            for key, exact in sorted(subscription_keys_.items())
        ]
        SubscriptionKey.objects.bulk_create(index, batch_size=5000)
        keys_total += len(index)
        progress(f"  subscriptions {start + len(rows):,}/{count:,} ({keys_total:,} index keys)")


def store_tenders(work: Workload, count: int) -> list[tuple[str, str]]:
    """N tenders indexed for search (the rows the search keeps for each); returns their
    (ocid, release id)."""
    from django.utils import timezone  # noqa: PLC0415

    from pregon.search.documents import document_from_release  # noqa: PLC0415
    from pregon.search.models import SearchCode, SearchDocument  # noqa: PLC0415

    published: list[tuple[str, str]] = []
    batch = 2000
    now = timezone.now()
    for start in range(0, count, batch):
        datas = []
        for number in range(start, min(start + batch, count)):
            release = make_release(work, number)
            data = document_from_release(release)
            assert data is not None
            datas.append(data)
            published.append((release["ocid"], release["id"]))
        documents = SearchDocument.objects.bulk_create(
            SearchDocument(
                ocid=data.ocid,
                last_seq=start + offset + 1,
                date=now,
                title=data.title,
                description=data.description,
                body=data.body,
                title_folded=data.title_folded,
                language=data.language,
                buyer_id=data.buyer_id,
                buyer_name=data.buyer_name,
                country=data.country,
                region=data.region,
                method=data.method,
                category=data.category,
                status=data.status,
                value_amount=data.value_amount,
                currency=data.currency,
                reserved_msme=work.rng.random() < 0.05,
                closing_at=data.closing_at,
            )
            for offset, data in enumerate(datas)
        )
        SearchCode.objects.bulk_create(
            (
                SearchCode(document=document, scheme=scheme, prefix=prefix)
                for document, data in zip(documents, datas, strict=True)
                for scheme, prefix in sorted(data.codes)
            ),
            batch_size=5000,
        )
        progress(f"  tenders {start + len(datas):,}/{count:,}")
    return published


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tenders", type=int, default=10_000, help="new tenders to match")
    parser.add_argument("--subscriptions", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--database-url",
        default=DEFAULT_POSTGRES,
        help="with --backend postgresql: the database to drop and create (its name must "
        "contain 'bench')",
    )
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="pregon-matching-bench-") as directory:
        url = None
        if args.backend == "postgresql":
            url = args.database_url
            recreate_postgres(url)
        setup_django(Path(directory), url)
        return run(args)


def run(args: argparse.Namespace) -> int:
    from django.db import connection, transaction  # noqa: PLC0415

    from pregon.alerts.choices import Event  # noqa: PLC0415
    from pregon.alerts.models import Delivery  # noqa: PLC0415
    from pregon.alerts.services import alerts_match  # noqa: PLC0415

    work = Workload(args.seed)
    progress(f"generating {args.subscriptions:,} subscriptions ...")
    started = time.perf_counter()
    store_subscriptions(work, args.subscriptions)
    progress(f"  done in {time.perf_counter() - started:.1f} s")
    progress(f"generating and indexing {args.tenders:,} tenders ...")
    started = time.perf_counter()
    published = store_tenders(work, args.tenders)
    progress(f"  done in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    progress(f"matching {len(published):,} tenders, one transaction each ...")
    times: list[float] = []
    matched = 0
    step = max(1, len(published) // 10)
    began = time.perf_counter()
    cpu_began = time.process_time()
    for number, (ocid, release_id) in enumerate(published, start=1):
        start = time.perf_counter()
        with transaction.atomic():
            result = alerts_match(ocid=ocid, release_id=release_id, event=Event.PUBLISHED)
        times.append(time.perf_counter() - start)
        matched += result.matched
        if number % step == 0:
            elapsed = time.perf_counter() - began
            progress(
                f"  matched {number:,}/{len(published):,} tenders in {elapsed:.1f} s "
                f"({matched:,} subscription-tender pairs)"
            )
    seconds = time.perf_counter() - began
    cpu_seconds = time.process_time() - cpu_began
    deliveries = Delivery.objects.count()

    milliseconds = sorted(value * 1000 for value in times)
    print(f"Python {platform.python_version()} on {platform.machine()}, {connection.vendor}")
    print(f"load average: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
    print(
        f"workload: {args.subscriptions:,} subscriptions, {len(published):,} tenders, "
        f"seed {args.seed}"
    )
    print(
        f"per tender: median {statistics.median(milliseconds):.2f} ms, "
        f"p95 {milliseconds[int(len(milliseconds) * 0.95) - 1]:.2f} ms, "
        f"max {milliseconds[-1]:.2f} ms"
    )
    print(
        f"matches: {matched:,} ({matched / len(published):.1f} per tender), "
        f"deliveries written: {deliveries:,}"
    )
    where = "SQLite included" if connection.vendor == "sqlite" else "the database server's not"
    print(
        f"matching: {seconds:.1f} s wall, {cpu_seconds:.1f} s CPU of this process ({where}); "
        "on a busy machine the CPU time is the steadier figure"
    )
    if len(published) == 10_000 and args.subscriptions == 100_000:
        verdict = "met" if seconds < 60 else "NOT met"
        print(f"target: 10,000 tenders x 100,000 subscriptions under 60 s: {verdict}")
    print(f"matched={matched} seconds={seconds:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
