"""`pregon rules list` and `pregon rules show CODE[@VERSION]`, in the four languages, without
Django."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from pregon.cli import PLATFORM_LANGUAGES, main, terminal_language
from pregon.rules import cli, pack

PREGON = Path(sys.executable).with_name("pregon")


def run(argv: list[str], language: str | None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(argv, language=language, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_the_platform_languages_are_the_settings_languages() -> None:
    assert tuple(code for code, _ in settings.LANGUAGES) == PLATFORM_LANGUAGES


@pytest.mark.parametrize(
    ("language", "header", "brazil"),
    [
        ("en", "Rule packs (code@version, in force from, currency, name):", "Brazil"),
        ("es", "Paquetes de reglas (código@versión, vigente desde, moneda, nombre):", "Brasil"),
        ("pt-br", "Pacotes de regras (código@versão, em vigor desde, moeda, nome):", "Brasil"),
        ("fr", "Paquets de règles (code@version, en vigueur depuis, monnaie, nom) :", "Brésil"),
    ],
)
def test_list(language: str, header: str, brazil: str) -> None:
    code, out, err = run(["list"], language)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == header
    assert lines[1] == f"  {'BR@2026.1':<18} 2026-01-01  BRL  {brazil}"
    assert [line.split()[0] for line in lines[1:]] == [
        "BR@2026.1",
        "CL@2026.1",
        "CO@2026.1",
        "GENERIC@2026.1",
        "PY@2026.1",
        "US@2026.1",
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "BR@2026.1 — Brazil; in force from 2026-01-01; currency BRL.\n"),
        ("es", "BR@2026.1 — Brasil; vigente desde 2026-01-01; moneda BRL.\n"),
        ("pt-br", "BR@2026.1 — Brasil; em vigor desde 2026-01-01; moeda BRL.\n"),
        ("fr", "BR@2026.1 — Brésil ; en vigueur depuis le 2026-01-01 ; monnaie BRL.\n"),
    ],
)
def test_show_prints_each_rule_with_its_basis_and_date(language: str, expected: str) -> None:
    code, out, _ = run(["show", "BR"], language)
    assert code == 0
    assert out.startswith(expected)
    brazil = pack("BR")
    labels = {
        "en": ("Legal basis:", "In force from:"),
        "es": ("Base legal:", "Vigente desde:"),
        "pt-br": ("Base legal:", "Em vigor desde:"),
        "fr": ("Base légale :", "En vigueur depuis le"),
    }[language]
    for rule in brazil.rules():
        block = (
            f"[{rule.key}] {rule.title.get(language)}\n"
            f"  {rule.explanation.get(language)}\n"
            f"  {labels[0]} {rule.basis}\n"
            f"  {labels[1]} {rule.effective_from.isoformat()}\n"
        )
        assert block in out
    assert "[fictitious_tie] " in out and "Lei Complementar 123/2006, art. 44" in out


def test_show_a_version_and_a_day() -> None:
    assert run(["show", "US@2026.1"], "en")[1].startswith("US@2026.1 — United States;")
    assert run(["show", "US", "--on", "2026-03-01"], "en")[0] == 0


def test_show_marks_the_neutral_defaults() -> None:
    _, out, _ = run(["show", "GENERIC"], "es")
    assert "  Base legal: valor neutro por defecto, sin ley\n" in out
    assert (
        "  Base legal: Directive 2014/24/EU (as a model), art. 46 — valor neutro por defecto, sin ley\n"
        in out
    )


@pytest.mark.parametrize(
    ("argv", "language", "message"),
    [
        (
            ["show", "XX"],
            "en",
            "No rule pack XX (or no version of it in force on that day). See `pregon rules list`.\n",
        ),
        (
            ["show", "BR@1999.1"],
            "es",
            "No hay paquete de reglas BR@1999.1 (o ninguna versión vigente ese día). Vea `pregon rules list`.\n",
        ),
        (
            ["show", "BR", "--on", "2020-01-01"],
            "pt-br",
            "Não há pacote de regras BR (ou nenhuma versão em vigor nesse dia). Veja `pregon rules list`.\n",
        ),
        (
            ["show", "ZZ"],
            "fr",
            "Aucun paquet de règles ZZ (ou aucune version en vigueur ce jour-là). Voir `pregon rules list`.\n",
        ),
    ],
)
def test_an_unknown_pack(argv: list[str], language: str, message: str) -> None:
    assert run(argv, language) == (2, "", message)


def test_bad_usage() -> None:
    assert run([], "en")[0] == 2
    assert run(["show", "BR", "--on", "yesterday"], "en")[0] == 2


def test_the_entry_point_dispatches_without_django(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "list"]) == 0
    assert "BR@2026.1" in capsys.readouterr().out
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LC_", "LANG", "PREGON_", "DJANGO_"))
    }
    code = (
        "import sys; from pregon.cli import main; main(['rules', 'show', 'CO']); "
        "print(any(m.split('.')[0] == 'django' for m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "LANG": "fr_FR.UTF-8"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout.startswith(
        "CO@2026.1 — Colombie ; en vigueur depuis le 2026-01-01 ; monnaie COP.\n"
    )
    assert done.stdout.endswith("False\n")


@pytest.mark.parametrize(
    ("environ", "first_line"),
    [
        ({"LANG": "es_CO.UTF-8"}, "Paquetes de reglas"),
        ({"LC_ALL": "pt_BR.UTF-8", "LANG": "es_CO.UTF-8"}, "Pacotes de regras"),
        ({"PREGON_LANGUAGE": "fr", "LANG": "es_CO.UTF-8"}, "Paquets de règles"),
        ({"LANG": "C.UTF-8"}, "Rule packs"),
    ],
)
def test_the_command_speaks_the_terminal_language(environ: dict[str, str], first_line: str) -> None:
    assert terminal_language(environ) in (*PLATFORM_LANGUAGES, None)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PREGON_"))}
    done = subprocess.run(
        [PREGON, "rules", "list"],
        env={**env, **environ},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout.startswith(first_line)
