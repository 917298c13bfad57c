"""`pregon verify`: check published documents against a transparency log, trusting only its key.

    pregon verify --log https://example.org --key 'example.org/pregon/log+1a2b3c4d+AbC…' \\
        https://example.org/data/releases.jsonl.gz

The source is a bulk file (JSON Lines, gzip or not; a path or an http(s) URL) or a release
URL (a release package); its lines may also be opening records and bid commitment leaves.
Each document must be in the log and have the shape of the kind its leaf is logged as
(`pregon.tlog.leaves`); the leaves seen are counted by kind at the end. Exit status 0 when
everything verified, 1 when anything failed (the failing documents are named with their line,
and with their leaf when found), 2 when the arguments cannot be used. See docs/ledger.md,
"Verifying the log". The work is done by ``pregon.tlog.monitor``.
"""

from __future__ import annotations

import base64
import http.client
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from pregon.ledger.choices import LeafKind
from pregon.tlog import monitor
from pregon.tlog.checkpoint import (
    ALG_COSIGNATURE_V1,
    VerifierKey,
    format_verifier_key,
    parse_verifier_key,
)
from pregon.tlog.client import LogClient, LogClientError, open_data
from pregon.tlog.errors import LedgerError
from pregon.tlog.leaves import KIND_BID_COMMITMENT, KIND_OPENING, KIND_RELEASE

# Failures printed one by one; beyond this, only counted.
MAX_LISTED = 50


class Command(BaseCommand):
    help = (
        "Check that every release (or opening record, or bid commitment) of a bulk file or "
        "release URL is in a Pregón transparency log, under its latest signed checkpoint, with "
        "the shape of its leaf's kind, and that the log only grew since the last run."
    )
    # Verifying needs neither this instance's database nor its configuration to be right.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "source",
            metavar="FILE_OR_URL",
            help="A bulk file (JSON Lines, .gz or not) or a release URL, local or http(s).",
        )
        parser.add_argument(
            "--log",
            required=True,
            metavar="URL",
            help="The log's address: the instance (https://example.org) or its /log.",
        )
        parser.add_argument(
            "--key",
            required=True,
            metavar="VKEY",
            help="The log's verifier key (name+id+key), or a file holding it. Get it from a "
            "source you trust, not from the log you are checking.",
        )
        parser.add_argument(
            "--state",
            metavar="FILE",
            help="Where the last trusted checkpoint of each log (by name and key) is kept "
            "between runs (default: ~/.config/pregon/verify-state.json).",
        )
        parser.add_argument(
            "--witness",
            action="append",
            default=[],
            metavar="VKEY",
            help="A witness's cosignature key; reports whether it cosigned the checkpoint "
            "(repeatable). A cosignature by it that does not verify fails the run.",
        )
        parser.add_argument(
            "--method",
            choices=monitor.METHODS,
            default=monitor.METHOD_AUTO,
            help="proofs: one inclusion proof per release; leaves: download every leaf hash "
            "and recompute the root; auto (default): whichever needs fewer requests.",
        )
        parser.add_argument(
            "--timeout", type=float, default=30.0, help="Seconds to wait for each answer."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        key = _read_key(options["key"], "--key")
        # A witness's log key stands for its cosignature key: same name and public key.
        witnesses = [
            VerifierKey(w.name, ALG_COSIGNATURE_V1, w.public_key)
            for w in (_read_key(text, "--witness") for text in options["witness"])
        ]
        try:
            client = LogClient(options["log"], timeout=options["timeout"])
        except LogClientError as error:
            raise CommandError(str(error), returncode=2) from error
        state_path = Path(options["state"]) if options["state"] else monitor.default_state_path()
        try:
            report = self._verify(
                client, key, witnesses=witnesses, state_path=state_path, options=options
            )
        except monitor.MonitorError as error:
            raise CommandError(self._whole_log_failure(error), returncode=1) from error
        except (LogClientError, OSError, EOFError, http.client.HTTPException) as error:
            # Unreachable, truncated or not gzip after all: nothing can be said about it.
            raise CommandError(
                _("Cannot read the releases: %(error)s") % {"error": error}, returncode=2
            ) from error
        self._print_findings(report)
        self._print_kinds(report)
        if report.releases == 0 and not report.findings:
            raise CommandError(
                _("No release found in %(source)s: nothing was verified.")
                % {"source": options["source"]},
                returncode=1,
            )
        only_releases = _only_releases(report)
        if not report.ok:
            failed = {"failed": len(report.findings), "total": report.releases}
            raise CommandError(
                (
                    ngettext(
                        "%(failed)d of %(total)d release failed verification.",
                        "%(failed)d of %(total)d releases failed verification.",
                        report.releases,
                    )
                    if only_releases
                    else ngettext(
                        "%(failed)d of %(total)d document failed verification.",
                        "%(failed)d of %(total)d documents failed verification.",
                        report.releases,
                    )
                )
                % failed,
                returncode=1,
            )
        values = {"total": report.releases, "size": report.checkpoint.size}
        if only_releases:
            self.stdout.write(
                ngettext(
                    "OK: the release is in the log of %(size)d leaves.",
                    "OK: all %(total)d releases are in the log of %(size)d leaves.",
                    report.releases,
                )
                % values
            )
        else:
            self.stdout.write(
                ngettext(
                    "OK: the document is in the log of %(size)d leaves, with the shape of its "
                    "leaf's kind.",
                    "OK: all %(total)d documents are in the log of %(size)d leaves, each with "
                    "the shape of its leaf's kind.",
                    report.releases,
                )
                % values
            )

    def _verify(
        self,
        client: LogClient,
        key: VerifierKey,
        *,
        witnesses: list[VerifierKey],
        state_path: Path,
        options: dict[str, Any],
    ) -> monitor.Report:
        source = options["source"]
        verified, note = monitor.fetch_checkpoint(client, key, witnesses)
        checkpoint = verified.checkpoint
        report = monitor.Report(origin=key.name, checkpoint=checkpoint)
        self.stdout.write(
            _("Log %(origin)s at %(url)s") % {"origin": key.name, "url": client.base_url}
        )
        self.stdout.write(
            _("Checkpoint: %(size)d leaves, root %(root)s, signature verified with %(key)s")
            % {
                "size": checkpoint.size,
                "root": base64.b64encode(checkpoint.root_hash).decode("ascii"),
                "key": format_verifier_key(key),
            }
        )
        for witness in witnesses:
            if verified.note.signed_by(witness):
                self.stdout.write(_("Cosigned by the witness %(name)s.") % {"name": witness.name})
            else:
                self.stdout.write(
                    _("Not cosigned by the witness %(name)s.") % {"name": witness.name}
                )

        # Kept per log name and key: two instances of one name (two local ones) never mix.
        report.previous = monitor.load_state(state_path, monitor.state_entry(key))
        monitor.check_consistency(client, report.previous, checkpoint)
        if report.previous is None:
            self.stdout.write(
                _("First run for this log: the checkpoint is saved in %(path)s.")
                % {"path": state_path}
            )
        elif report.previous.size == checkpoint.size:
            self.stdout.write(
                _("The same tree as the checkpoint saved on %(date)s.")
                % {"date": report.previous.saved_at}
            )
        else:
            self.stdout.write(
                _(
                    "Consistent with the checkpoint of %(size)d leaves saved on %(date)s: "
                    "the log only grew."
                )
                % {"size": report.previous.size, "date": report.previous.saved_at}
            )
        monitor.save_state(state_path, monitor.state_entry(key), checkpoint, note)

        releases = self._read(source, options["timeout"], report)
        report.method = monitor.choose_method(options["method"], len(releases), checkpoint.size)
        by_leaves = report.method == monitor.METHOD_LEAVES
        total = checkpoint.size if by_leaves else len(releases)
        with self._progress(total, _("leaves") if by_leaves else _("documents")) as bar:
            check = monitor.check_by_leaves if by_leaves else monitor.check_by_proofs
            report.findings.extend(
                check(client, checkpoint, releases, bar.update, report.leaf_kinds)
            )
        report.findings.sort(key=lambda finding: finding.line)
        report.requests = client.requests
        lines = ngettext("%(count)d line", "%(count)d lines", report.lines) % {
            "count": report.lines
        }
        requests = ngettext(
            "%(count)d request to the log", "%(count)d requests to the log", report.requests
        ) % {"count": report.requests}
        values = {
            "releases": report.releases,
            "lines": lines,
            "source": source,
            "method": report.method,
            "requests": requests,
            "kinds": _documents_by_kind(report),
        }
        if _only_releases(report):
            checked = ngettext(
                "Checked %(releases)d release from %(source)s (%(lines)s; method: %(method)s; "
                "%(requests)s).",
                "Checked %(releases)d releases from %(source)s (%(lines)s; method: %(method)s; "
                "%(requests)s).",
                report.releases,
            )
        else:
            checked = ngettext(
                "Checked %(releases)d document (%(kinds)s) from %(source)s (%(lines)s; method: "
                "%(method)s; %(requests)s).",
                "Checked %(releases)d documents (%(kinds)s) from %(source)s (%(lines)s; method: "
                "%(method)s; %(requests)s).",
                report.releases,
            )
        self.stdout.write(checked % values)
        return report

    def _read(self, source: str, timeout: float, report: monitor.Report) -> list[Any]:
        releases: list[monitor.PublishedRelease] = []
        with open_data(source, timeout=timeout) as stream, self._progress(None, _("lines")) as bar:
            for item in monitor.read_releases(stream):
                if isinstance(item, monitor.Finding):
                    report.findings.append(item)
                else:
                    releases.append(item)
                    report.documents[item.kind] += 1
                report.lines = max(report.lines, item.line)
                bar.update(1)
        # A line that cannot be read counts as a release that failed.
        report.releases = len(releases) + len(report.findings)
        return releases

    def _progress(self, total: int | None, unit: str) -> Any:
        # A bar only on a terminal: logs and pipes get the summary lines alone.
        return tqdm(
            total=total,
            unit=unit,
            file=sys.stderr,
            disable=not sys.stderr.isatty(),
            leave=False,
        )

    def _print_findings(self, report: monitor.Report) -> None:
        for finding in report.findings[:MAX_LISTED]:
            self.stderr.write(_("FAILED %(where)s") % {"where": _describe(finding, report)})
        if len(report.findings) > MAX_LISTED:
            self.stderr.write(
                _("… and %(count)d more failures.") % {"count": len(report.findings) - MAX_LISTED}
            )

    def _print_kinds(self, report: monitor.Report) -> None:
        """The leaves seen, counted by the kind the log lists (the end of the report)."""
        if report.method == monitor.METHOD_LEAVES:
            heading = ngettext(
                "Leaves by kind (the %(size)d leaf of the tree):",
                "Leaves by kind (all %(size)d leaves of the tree):",
                report.checkpoint.size,
            ) % {"size": report.checkpoint.size}
        else:
            heading = _("Leaves by kind (the leaves of the documents found):")
        self.stdout.write(heading)
        if not report.leaf_kinds:
            self.stdout.write("  " + _("none"))
        for kind, count in _in_kind_order(report.leaf_kinds):
            self.stdout.write(f"  {_kind_label(kind)}: {count}")

    def _whole_log_failure(self, error: monitor.MonitorError) -> str:
        if error.code == "signature":
            return _("The log's checkpoint does not verify with the trusted key: %(error)s") % {
                "error": error
            }
        if error.code == "inconsistent":
            return _(
                "The log is not consistent with the checkpoint saved by the previous run: %(error)s"
            ) % {"error": error}
        if error.code == "state":
            return str(error)
        return _("The log could not be checked: %(error)s") % {"error": error}


def _only_releases(report: monitor.Report) -> bool:
    """Whether every document read was a release (the report then speaks of releases)."""
    return all(kind == KIND_RELEASE for kind in report.documents)


def _in_kind_order(counts: dict[str, int]) -> list[tuple[str, int]]:
    """The kinds in `LeafKind`'s order, then any other kind a log lists, by name."""
    order = {kind: position for position, kind in enumerate(LeafKind.values)}
    return sorted(counts.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))


def _kind_label(kind: str) -> str:
    """A kind as the log lists it, with its name when it is one of ours."""
    if kind in LeafKind.values:
        return f"{LeafKind(kind).label} ({kind})"
    return kind


def _documents_by_kind(report: monitor.Report) -> str:
    """How many documents of each kind were read, e.g. "12 releases, 1 opening record"."""
    parts = []
    for kind, count in _in_kind_order(report.documents):
        if kind == KIND_OPENING:
            text = ngettext("%(count)d opening record", "%(count)d opening records", count)
        elif kind == KIND_BID_COMMITMENT:
            text = ngettext("%(count)d bid commitment", "%(count)d bid commitments", count)
        else:
            text = ngettext("%(count)d release", "%(count)d releases", count)
        parts.append(text % {"count": count})
    return ", ".join(parts)


def _document_name(kind: str, reference: str) -> str:
    """A document as a failure names it: its kind and its reference."""
    values = {"ref": reference or "?"}
    if kind == KIND_OPENING:
        return _("opening record %(ref)s") % values
    if kind == KIND_BID_COMMITMENT:
        return _("bid commitment %(ref)s") % values
    return _("release %(ref)s") % values


def _describe(finding: monitor.Finding, report: monitor.Report) -> str:
    """One failure, naming the line and the document."""
    where = _("line %(line)d, %(document)s") % {
        "line": finding.line,
        "document": _document_name(finding.kind, finding.release_id),
    }
    if finding.code == monitor.WRONG_KIND:
        why = _(
            "leaf %(index)d is logged as kind %(logged)s, but this document is of kind %(kind)s"
        ) % {"index": finding.leaf_index, "logged": finding.detail, "kind": finding.kind}
    elif finding.code == monitor.BAD_CONTENT:
        why = _(
            "leaf %(index)d is logged as kind %(kind)s, but this document does not have its "
            "shape: %(detail)s"
        ) % {"index": finding.leaf_index, "kind": finding.kind, "detail": finding.detail}
    elif finding.code == monitor.NOT_IN_LOG:
        why = _(
            "not in the log (no leaf has its hash %(hash)s): it was changed after it was "
            "published, or never logged"
        ) % {"hash": finding.detail}
    elif finding.code == monitor.NOT_YET:
        why = _(
            "logged after the checkpoint of %(size)d leaves; run again once a newer "
            "checkpoint is signed"
        ) % {"size": report.checkpoint.size}
    elif finding.code == monitor.BAD_PROOF:
        why = _("the log's inclusion proof does not lead to the signed root (%(detail)s)") % {
            "detail": finding.detail
        }
    else:
        why = _("cannot be read as a release (%(detail)s)") % {"detail": finding.detail}
    return f"{where}: {why}"


def _read_key(text: str, option: str) -> VerifierKey:
    """A verifier key given as text, or as a file holding it on its first non-empty line."""
    try:
        is_file = Path(text).is_file()
    except OSError:  # e.g. a key longer than a file name may be
        is_file = False
    try:
        if is_file:
            lines = [line.strip() for line in Path(text).read_text(encoding="utf-8").splitlines()]
            text = next((line for line in lines if line), "")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(
            _("Cannot read the key file %(path)s: %(error)s") % {"path": text, "error": error},
            returncode=2,
        ) from error
    try:
        return parse_verifier_key(text.strip())
    except LedgerError as error:
        raise CommandError(
            _("%(option)s is not a verifier key: %(error)s") % {"option": option, "error": error},
            returncode=2,
        ) from error
