"""The Spanish, Brazilian Portuguese and French catalogs: complete, well-formed, and in use.

The catalogs are read as committed (.po), not through the compiled .mo files, which are built
at set-up and may be stale in a working tree; the page tests compile them afresh into a
temporary directory and point LOCALE_PATHS at it.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from allauth.account.adapter import get_adapter
from django.conf import settings
from django.test import Client
from django.utils import translation

from tests import factories

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
# The URL prefix of each language, and the directory of its catalog.
LANGUAGES = {"es": "es", "pt-br": "pt_BR", "fr": "fr"}
NBSP = "\u00a0"  # French puts a no-break space before : ; ? ! and inside « »


@dataclass
class Entry:
    """One message of a .po file."""

    msgid: str = ""
    plural: str | None = None
    context: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda match: _ESCAPES.get(match[1], match[0]), text[1:-1])


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (obsolete ones left out); the header is the first."""
    entries: list[Entry] = []
    current: Entry | None = None
    target = ("msgid", 0)
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        starts_entry = line.startswith(("#", "msgctxt ", "msgid "))
        if current is not None and (not line or (starts_entry and current.msgstr)):
            entries.append(current)
            current = None
        if not line or line.startswith("#~"):
            continue
        current = current or Entry(line=number)
        if line.startswith("#,"):
            current.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            name, index = target
            if name == "msgstr":
                current.msgstr[index] += _unquote(line)
            else:
                setattr(current, name, getattr(current, name) + _unquote(line))
        else:
            keyword, _space, rest = line.partition(" ")
            if keyword == "msgctxt":
                current.context, target = _unquote(rest), ("context", 0)
            elif keyword == "msgid":
                current.msgid, target = _unquote(rest), ("msgid", 0)
            elif keyword == "msgid_plural":
                current.plural, target = _unquote(rest), ("plural", 0)
            elif keyword == "msgstr" or keyword.startswith("msgstr["):
                index = int(keyword[7:-1]) if keyword != "msgstr" else 0
                current.msgstr[index], target = _unquote(rest), ("msgstr", index)
            else:
                raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    if current is not None:
        entries.append(current)
    return entries


def catalog(language: str) -> list[Entry]:
    """The entries of one language's catalog, header first."""
    return read_po(LOCALE_DIR / LANGUAGES[language] / "LC_MESSAGES" / "django.po")


def nplurals(header: Entry) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", header.msgstr[0])
    assert match, "the header has no Plural-Forms"
    return int(match[1])


# A printf placeholder as gettext's python-format knows it: %(name)s, %(seconds).1f, %d, %%.
_MARKUP = re.compile(r"<[^>]*>")
_PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
_BRACES = re.compile(r"\{\{.*?\}\}|\{[A-Za-z_]\w*\}")
# Only the markup the templates use: '<key>' in a message is text, and may be translated.
_TAG = re.compile(r"</?(?:a|abbr|b|br|code|em|i|kbd|p|span|strong)\b[^>]*>")


def markers(text: str, python_format: bool) -> list[str]:
    """What a translation must carry over unchanged: placeholders and HTML tags."""
    found = _TAG.findall(text) + _BRACES.findall(text)
    if python_format or "%(" in text:
        found += _PLACEHOLDER.findall(text)
    return sorted(found)


def messages_of(language: str) -> list[Entry]:
    return catalog(language)[1:]


def where(language: str, entry: Entry) -> str:
    return f"{LANGUAGES[language]}/LC_MESSAGES/django.po:{entry.line}: {entry.msgid[:60]!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalog_is_complete_and_has_no_fuzzy_entry(language: str) -> None:
    header, *entries = catalog(language)
    assert len(entries) > 900  # the whole interface, not an empty catalog
    forms = nplurals(header)
    problems = []
    for entry in entries:
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {where(language, entry)}")
        expected = range(forms) if entry.plural is not None else range(1)
        if sorted(entry.msgstr) != list(expected):
            problems.append(
                f"{len(entry.msgstr)} forms, not {len(expected)}: {where(language, entry)}"
            )
        if any(not entry.msgstr.get(index, "").strip() for index in expected):
            problems.append(f"untranslated: {where(language, entry)}")
    assert "fuzzy" not in header.flags
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_header_names_the_language_and_its_plural_forms(language: str) -> None:
    header = catalog(language)[0]
    fields = dict(line.split(": ", 1) for line in header.msgstr[0].splitlines() if ": " in line)
    assert fields["Language"] == LANGUAGES[language]
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    # The same rule as Django's own catalog for the language, so plurals agree on every page.
    expected = {"es": 3, "pt-br": 2, "fr": 3}[language]
    assert nplurals(header) == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder_and_tag(language: str) -> None:
    problems = []
    for entry in messages_of(language):
        python_format = "python-format" in entry.flags
        wanted = markers(entry.msgid, python_format)
        if entry.plural is not None:
            wanted_plural = markers(entry.plural, python_format)
            for index, text in entry.msgstr.items():
                # Every form names the same values; which one counts is the code's choice.
                if markers(text, python_format) not in (wanted, wanted_plural):
                    problems.append(f"form {index}: {where(language, entry)}")
        elif markers(entry.msgstr[0], python_format) != wanted:
            problems.append(where(language, entry))
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_sentence_is_left_in_english(language: str) -> None:
    # A single word may rightly stay the same (API, Format, Auditor), and so may a pattern of
    # placeholders and punctuation; a phrase may not.
    problems = [
        where(language, entry)
        for entry in messages_of(language)
        if entry.msgstr[0] == entry.msgid
        and len(re.findall(r"[^\W\d_]{2,}", _MARKUP.sub("", _PLACEHOLDER.sub("", entry.msgid)))) > 1
    ]
    assert problems == []


def test_french_punctuation_takes_a_no_break_space() -> None:
    problems = [
        where("fr", entry)
        for entry in messages_of("fr")
        for text in entry.msgstr.values()
        if re.search(r" [:;?!»]|« ", text)
    ]
    assert problems == []


def test_the_messages_compile_without_error(tmp_path: Path) -> None:
    compile_catalogs(tmp_path)
    for directory in LANGUAGES.values():
        assert (tmp_path / directory / "LC_MESSAGES" / "django.mo").stat().st_size > 10_000


def compile_catalogs(target: Path) -> None:
    """Compile the committed catalogs with gettext's checks (as `compilemessages` does)."""
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt is missing: install gettext (apt-get install gettext)"
    for directory in LANGUAGES.values():
        output = target / directory / "LC_MESSAGES" / "django.mo"
        output.parent.mkdir(parents=True)
        source = LOCALE_DIR / directory / "LC_MESSAGES" / "django.po"
        result = subprocess.run(
            [msgfmt, "--check-format", "--check-header", "-o", str(output), str(source)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("locale")
    compile_catalogs(target)
    return target


@pytest.fixture
def fresh_catalogs(settings: Any, compiled: Path) -> None:
    """Pages read the catalogs as committed (changing LOCALE_PATHS resets Django's cache)."""
    settings.LOCALE_PATHS = [compiled]


def visible_text(page: str) -> str:
    """What a person reads or hears on a page: text and accessible names, spaces collapsed."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    names = re.findall(r'\b(?:aria-label|title|alt|placeholder)="([^"]*)"', page)
    text = re.sub(r"<[^>]+>", " ", page) + " " + " ".join(names)
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(text))


def english_phrases(language: str) -> list[str]:
    """The English sources of several words whose translation differs from them."""
    phrases = []
    for entry in messages_of(language):
        source = entry.msgid
        if "%" in source or "<" in source or len(source.split()) < 2:
            continue
        if entry.msgstr[0] != source:
            phrases.append(source)
    return phrases


# Phrases each page must show, as a native speaker reads them.
EXPECTED: dict[str, dict[str, list[str]]] = {
    "es": {
        "/": [
            "Compras públicas abiertas a todas las empresas",
            "Registrarse como proveedor",
            "Ir al contenido principal",
        ],
        "/tenders/": [
            "Licitaciones",
            "Modalidad de contratación",
            "Inicie sesión para guardar esta búsqueda.",
            "Aplicar filtros",
        ],
        "/organizations/register/": [
            "Registre su empresa como proveedor",
            "Razón social",
            "Los campos marcados con * son obligatorios.",
        ],
        "/accounts/login/": ["Iniciar sesión", "¿Olvidó su contraseña?", "Contraseña"],
    },
    "pt-br": {
        "/": [
            "Compras públicas abertas a todas as empresas",
            "Cadastrar-se como fornecedor",
            "Ir para o conteúdo principal",
        ],
        "/tenders/": [
            "Licitações",
            "Modalidade de contratação",
            "Entre para salvar esta busca.",
            "Aplicar filtros",
        ],
        "/organizations/register/": [
            "Cadastre sua empresa como fornecedor",
            "Razão social",
            "Os campos marcados com * são obrigatórios.",
        ],
        "/accounts/login/": ["Entrar", "Esqueceu sua senha?", "Senha"],
    },
    "fr": {
        "/": [
            "Des marchés publics ouverts à toutes les entreprises",
            "S'inscrire comme fournisseur",
            "Aller au contenu principal",
        ],
        "/tenders/": [
            "Appels d'offres",
            "Procédure de passation",
            "Connectez-vous pour enregistrer cette recherche.",
            "Appliquer les filtres",
        ],
        "/organizations/register/": [
            "Inscrivez votre entreprise comme fournisseur",
            "Raison sociale",
            "Les champs marqués d'un * sont obligatoires.",
        ],
        "/accounts/login/": ["Se connecter", f"Mot de passe oublié{NBSP}?", "Mot de passe"],
    },
}


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_catalogs")
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", ["/", "/tenders/", "/organizations/register/", "/accounts/login/"])
def test_key_pages_are_translated(client: Client, language: str, path: str) -> None:
    response = client.get(f"/{language}{path}")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    text = visible_text(page)
    missing = [phrase for phrase in EXPECTED[language][path] if phrase not in text]
    assert missing == []
    english = [phrase for phrase in english_phrases(language) if phrase in text]
    assert english == []


TENDER_PAGE = {
    "es": [
        "Plazo de presentación de ofertas",
        "Lotes e ítems",
        "Consultas y respuestas",
        "Abierta a ofertas",
    ],
    "pt-br": [
        "Prazo para envio das propostas",
        "Lotes e itens",
        "Pedidos de esclarecimento e respostas",
        "Aberta para propostas",
    ],
    "fr": [
        "Date limite de remise des offres",
        "Lots et articles",
        "Demandes d'éclaircissement et réponses",
        "Ouvert aux offres",
    ],
}


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_catalogs")
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_published_tender_reads_in_the_language(client: Client, language: str) -> None:
    tender = factories.TenderOpenFactory()
    response = client.get(f"/{language}/tenders/{tender.pk}/")
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert [phrase for phrase in TENDER_PAGE[language] if phrase not in text] == []
    assert [phrase for phrase in english_phrases(language) if phrase in text] == []


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_catalogs")
@pytest.mark.parametrize("language", LANGUAGES)
def test_allauths_own_messages_are_translated_on_the_sign_in_page(
    client: Client, language: str
) -> None:
    message = get_adapter().error_messages["email_password_mismatch"]
    english = str(message)
    with translation.override(language):
        translated = str(message)
    assert translated != english
    response = client.post(
        f"/{language}/accounts/login/",
        {"login": "nobody@example.org", "password": "not the password"},
    )
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert translated in text
    assert english not in text
