"""The audit page in the reader's language: channels, object types, object names, summary keys
and statuses.

The codes of actions, channels and object types stay on the page, in <code>, for auditors who
compare it with the CSV export; a summary's keys are only in the export.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from pregon.audit.labels import (
    SummaryLine,
    actor_display,
    channel_label,
    object_names,
    object_type_label,
    summary_lines,
)
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.choices import Channel
from pregon.core.models import AuditEvent
from pregon.tenders import services
from pregon.tenders.models import Question, Tender
from tests import factories
from tests.test_translations import compile_catalogs

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("locale")
    compile_catalogs(target)
    return target


@pytest.fixture(autouse=True)
def fresh_catalogs(settings: Any, compiled: Path) -> None:
    """Pages read the catalogs as committed, not .mo files that may be stale."""
    settings.LOCALE_PATHS = [compiled]


class Trail:
    """One event on each channel, among them a tender's cancellation and a status change."""

    def __init__(self) -> None:
        # Published by a command 30 days ago, closed by the task worker at its deadline.
        self.closed = factories.TenderClosedFactory()
        # Published by a command, then cancelled through the API while open for bids.
        self.cancelled = factories.TenderOpenFactory()
        official = factories.member(self.cancelled.buyer, "buyer_official")
        services.tender_cancel(
            actor=Actor(user=official, organization=self.cancelled.buyer, channel=Channel.API),
            tender=self.cancelled,
            reason="Presupuesto agotado.",
        )
        # A change of status and method as a page records it.
        self.draft = factories.TenderDraftFactory()
        audit_record(
            actor=Actor(user=official, organization=self.draft.buyer, channel=Channel.WEB),
            action="tender.update",
            target=self.draft,
            summary={"changes": {"status": ["draft", "active"], "method": ["open", "selective"]}},
        )
        # An administrator grants a role in the admin site.
        self.auditor = factories.member(factories.OversightFactory(), "auditor")
        grant = self.auditor.memberships.get()
        audit_record(
            actor=Actor(user=factories.UserFactory(), channel=Channel.ADMIN),
            action="membership.grant",
            target=grant,
            summary={"user": self.auditor.email, "role": "auditor"},
        )

    def page(self, language: str) -> tuple[list[dict[str, Any]], str]:
        client = Client()
        client.force_login(self.auditor)
        response = client.get(f"/{language}/audit/")
        assert response.status_code == 200
        return response.context["rows"], response.content.decode()


@pytest.fixture
def trail() -> Trail:
    return Trail()


def test_every_channel_is_in_the_trail(trail: Trail) -> None:
    rows, _page = trail.page("en")
    assert {row["event"].channel for row in rows} == set(Channel.values)


CHANNELS = {
    "es": {
        "web": "Páginas web",
        "api": "API",
        "admin": "Sitio de administración",
        "command": "Línea de comandos",
        "task": "Tarea programada",
    },
    "fr": {
        "web": "Pages web",
        "api": "API",
        "admin": "Site d'administration",
        "command": "Ligne de commande",
        "task": "Tâche planifiée",
    },
}
TYPES = {
    "es": {"tenders.tender": "Licitación", "accounts.membership": "Membresía"},
    "fr": {"tenders.tender": "Appel d'offres", "accounts.membership": "Appartenance"},
}
SUMMARIES = {
    "es": {
        "tender.cancel": [
            SummaryLine("Estado anterior", "from", "Abierta a ofertas"),
            SummaryLine("Motivo", "reason", "Presupuesto agotado."),
        ],
        "tender.update": [
            SummaryLine("Estado", "status", "Borrador → Abierta a ofertas"),
            SummaryLine(
                "Modalidad de contratación", "method", "Licitación pública → Licitación restringida"
            ),
        ],
        "membership.grant": [
            SummaryLine("Persona (correo electrónico)", "user", "{email}"),
            SummaryLine("Rol", "role", "Auditor"),
        ],
    },
    "fr": {
        "tender.cancel": [
            SummaryLine("Statut précédent", "from", "Ouvert aux offres"),
            SummaryLine("Motif", "reason", "Presupuesto agotado."),
        ],
        "tender.update": [
            SummaryLine("Statut", "status", "Brouillon → Ouvert aux offres"),
            SummaryLine(
                "Procédure de passation", "method", "Procédure ouverte → Procédure restreinte"
            ),
        ],
        "membership.grant": [
            SummaryLine("Personne (adresse électronique)", "user", "{email}"),
            SummaryLine("Rôle", "role", "Auditeur"),
        ],
    },
}


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_page_names_channels_types_and_summaries_in_the_language(
    trail: Trail, language: str
) -> None:
    rows, page = trail.page(language)
    page = page.replace("&#x27;", "'")
    assert {row["event"].channel: row["channel"] for row in rows} == CHANNELS[language]
    for code, label in CHANNELS[language].items():
        assert f'<span class="text-base">{label}</span> <code>{code}</code>' in page
    assert {row["event"].object_type: row["object_type"] for row in rows} == TYPES[language]
    tender = TYPES[language]["tenders.tender"]
    assert f'<span class="text-base">{tender}</span> <code>tenders.tender #' in page
    for action, lines in SUMMARIES[language].items():
        (row,) = [row for row in rows if row["event"].action == action]
        expected = [
            line._replace(text=line.text.format(email=trail.auditor.email)) for line in lines
        ]
        # PostgreSQL's jsonb keeps its own order of keys.
        assert sorted(row["lines"]) == sorted(expected)
        for line in expected:
            assert f"<dt>{line.name}</dt>" in page
            assert f"<dd>{line.text}</dd>" in page
    # A summary's keys, codes for programs, are in the export only: not beside their names.
    assert '<code class="text-normal">' not in page
    assert "<code>reason</code>" not in page
    # The platform acting by itself (the deadline close) is named in words, its code beside.
    itself = {"es": "La plataforma misma", "fr": "La plateforme elle-même"}[language]
    assert {row["who"] for row in rows if row["event"].actor_label == "system"} == {itself}
    assert f"{itself} <code>system</code>" in page
    # Nothing of it is left in English.
    for english in ("Web pages", "Scheduled task", "Previous status", "Open for bids", "Draft"):
        assert english not in page


def test_the_filter_names_object_types_in_the_language(trail: Trail) -> None:
    client = Client()
    client.force_login(trail.auditor)
    response = client.get("/es/audit/")
    choices = dict(response.context["form"].fields["object_type"].choices)
    assert choices["tenders.tender"] == "Licitación (tenders.tender)"
    assert choices["accounts.membership"] == "Membresía (accounts.membership)"


def test_the_export_keeps_the_codes_and_adds_the_labels(trail: Trail) -> None:
    client = Client()
    client.force_login(trail.auditor)
    response = client.get("/es/audit/export.csv", {"action": "tender.cancel"})
    assert response.status_code == 200
    header, row = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    cells = dict(zip(header, row, strict=True))
    assert (cells["action"], cells["object_type"], cells["channel"]) == (
        "tender.cancel",
        "tenders.tender",
        "api",
    )
    assert '"from": "active"' in cells["summary"]
    assert (cells["action_label"], cells["object_type_label"], cells["channel_label"]) == (
        "Licitación cancelada",
        "Licitación",
        "API",
    )


def test_who_acted_reads_in_words_for_the_platform_and_api_keys() -> None:
    with translation.override("pt-br"):
        assert actor_display("system") == "A própria plataforma"
        assert actor_display("api-key:abcdef012345") == "Chave de API abcdef012345"
        assert actor_display("ana@example.org") == "ana@example.org"


def test_unknown_codes_read_as_themselves() -> None:
    with translation.override("es"):
        assert channel_label("pigeon") == "pigeon"
        assert object_type_label("awards.award") == "awards.award"
        assert object_type_label("nonsense") == "nonsense"
        assert object_type_label("tenders.tenderdocument") == "Documento"
        # An unknown key reads with spaces; an unknown status, or a status of another type
        # of object, reads as recorded.
        assert summary_lines(
            {"new_thing": 1, "from": "reopened", "status": "draft"},
            object_type="tenders.tender",
        ) == [
            SummaryLine("New thing", "new_thing", "1"),
            SummaryLine("Estado anterior", "from", "reopened"),
            SummaryLine("Estado", "status", "Borrador"),
        ]
        assert summary_lines({"status": "draft"}, object_type="tenders.lot") == [
            SummaryLine("Estado", "status", "draft")
        ]


# ---------------------------------------------------------------------------------------------
# object names


class Questions:
    """A question asked by a Spanish-speaking supplier, an older row that recorded its name in
    Spanish ("Consulta 1"), and a tender whose title changed after its row was written."""

    def __init__(self) -> None:
        self.tender = factories.TenderOpenFactory(title="Sillas")
        supplier = factories.SupplierFactory()
        asker = factories.member(supplier, "supplier_user")
        with translation.override("es"):
            self.question = services.question_ask(
                actor=factories.actor_for(asker, supplier), tender=self.tender, text="¿Plazo?"
            )
        self.asked = AuditEvent.objects.get(action="question.ask")
        # Before names were recorded in the platform's language, the actor's was used.
        self.legacy = AuditEvent.objects.create(
            actor=asker,
            actor_label=asker.email,
            organization=supplier,
            channel=Channel.WEB,
            action="question.ask",
            object_type="tenders.question",
            object_id=str(self.question.pk),
            object_repr="Consulta 1",
        )
        official = factories.member(self.tender.buyer, "buyer_official")
        self.renamed = audit_record(
            actor=factories.actor_for(official, self.tender.buyer),
            action="tender.update",
            target=self.tender,
            summary={"changes": {"title": ["Sillas", "Sillas y mesas"]}},
        )
        Tender.objects.filter(pk=self.tender.pk).update(title="Sillas y mesas")
        self.auditor = factories.member(factories.OversightFactory(), "auditor")

    def objects(self, language: str) -> dict[int, str]:
        client = Client()
        client.force_login(self.auditor)
        response = client.get(f"/{language}/audit/")
        assert response.status_code == 200
        return {row["event"].pk: row["object"] for row in response.context["rows"]}


def test_the_object_s_name_is_recorded_in_the_platform_s_language() -> None:
    questions = Questions()
    assert questions.asked.object_repr == "Question 1"


@pytest.mark.parametrize(
    ("language", "question"),
    [
        ("en", "Question 1"),
        ("es", "Consulta 1"),
        ("pt-br", "Pedido de esclarecimento 1"),
        ("fr", "Demande d'éclaircissement n°\u00a01"),
    ],
)
def test_objects_are_named_in_the_reader_s_language(language: str, question: str) -> None:
    questions = Questions()
    names = questions.objects(language)
    assert names[questions.asked.pk] == question
    assert names[questions.legacy.pk] == question
    # A name made of data reads as recorded: the tender's title when the row was written.
    assert names[questions.renamed.pk] == f"{questions.tender.reference} · Sillas"


def test_a_deleted_object_keeps_its_recorded_name() -> None:
    questions = Questions()
    Question.objects.filter(pk=questions.question.pk).delete()
    names = questions.objects("es")
    assert (names[questions.asked.pk], names[questions.legacy.pk]) == ("Question 1", "Consulta 1")


def test_naming_objects_takes_one_query_per_type(django_assert_num_queries: Any) -> None:
    questions = Questions()
    events = list(AuditEvent.objects.order_by("pk"))
    assert {event.object_type for event in events} == {"tenders.tender", "tenders.question"}
    with translation.override("es"), django_assert_num_queries(2):
        names = object_names(events)
    assert names[questions.asked.pk] == "Consulta 1"


def test_the_export_keeps_the_recorded_names() -> None:
    questions = Questions()
    client = Client()
    client.force_login(questions.auditor)
    response = client.get("/es/audit/export.csv", {"action": "question.ask"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert sorted(row["object"] for row in rows) == ["Consulta 1", "Question 1"]
