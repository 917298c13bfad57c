"""Command line of the rule packs: ``pregon rules list`` and ``pregon rules show CODE[@VERSION]``.

Prints the packs with their versions and first days, or each rule of one pack with its legal
basis and the date it takes effect, in the language the caller gives (`pregon.cli` reads it
from the terminal's locale). No Django, no database. Exit codes: 0 done, 1 the packs
cannot be read (a broken file in `PREGON_RULE_PACKS_DIR`), 2 bad usage or an unknown pack.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TextIO

from pregon.rules import messages
from pregon.rules.loading import PackDataError, UnknownPack
from pregon.rules.lookup import pack, packs
from pregon.rules.model import Pack, Rule


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pregon rules",
        description="The country rule packs: their versions, rules and legal bases.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("list", help="list the packs with their versions and first days")
    show = commands.add_parser("show", help="print each rule of a pack")
    show.add_argument("code", metavar="CODE[@VERSION]", help='a pack: "BR", or "BR@2026.1"')
    show.add_argument(
        "--on",
        type=dt.date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="the version in force on that day (default: today)",
    )
    return parser


def _basis(rule: Rule, language: str | None) -> str:
    if not rule.basis.law:
        return messages.NEUTRAL_DEFAULT.get(language)
    text = str(rule.basis)
    if rule.default:
        text += f" — {messages.NEUTRAL_DEFAULT.get(language)}"
    return text


def rules_list(out: TextIO, language: str | None) -> None:
    """Print every version of every pack, one a line."""
    every = packs()  # read them all first: an unreadable directory prints no header
    print(messages.LIST_HEADER.get(language), file=out)
    for found in every:
        print(
            f"  {found.ref:<18} {found.effective_from.isoformat()}  {found.currency:<4} "
            f"{found.name.get(language)}",
            file=out,
        )


def rules_show(found: Pack, out: TextIO, language: str | None) -> None:
    """Print one pack version: its header and description, then each rule."""
    header = messages.SHOW_HEADER.format(
        ref=found.ref,
        name=found.name,
        date=found.effective_from.isoformat(),
        currency=found.currency,
    )
    print(header.get(language), file=out)
    print(found.description.get(language), file=out)
    for rule in found.rules():
        print(file=out)
        print(f"[{rule.key}] {rule.title.get(language)}", file=out)
        print(f"  {rule.explanation.get(language)}", file=out)
        print(f"  {messages.LEGAL_BASIS.get(language)} {_basis(rule, language)}", file=out)
        print(
            f"  {messages.EFFECTIVE_FROM.get(language)} {rule.effective_from.isoformat()}",
            file=out,
        )


def main(
    argv: list[str],
    *,
    language: str | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run ``pregon rules`` with `argv` (after "rules"), writing in `language`."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        if args.command == "list":
            rules_list(out, language)
            return 0
        found = pack(args.code, args.on)
    except UnknownPack:
        print(messages.UNKNOWN_PACK.format(code=args.code).get(language), file=err)
        return 2
    except PackDataError as error:
        print(messages.BAD_PACKS.format(error=str(error)).get(language), file=err)
        return 1
    rules_show(found, out, language)
    return 0
