"""The audit page in the reader's language: channels, object types, summary keys and statuses.

The codes stay on the page, in <code>, for auditors who compare it with the CSV export.
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
    object_type_label,
    summary_lines,
)
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.choices import Channel
from pregon.tenders import services
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
            assert f'<dt>{line.name} <code class="text-normal">{line.key}</code></dt>' in page
            assert f"<dd>{line.text}</dd>" in page
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
        assert object_type_label("bids.bid") == "bids.bid"
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
