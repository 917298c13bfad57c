"""Command line of the client: ``pregon bid submit|replace|withdraw|receipt`` and
``pregon keys open-shares``.

Like ``pregon ocds`` these need no database and no Django settings; they talk to an instance
over its API. The API key is read from an environment variable (``PREGON_API_KEY``, or the one
named by ``--api-key-env``), never from the command line, where it would stay in the shell's
history. Messages follow the terminal's language (``PREGON_LANGUAGE`` or the POSIX locale).

Every submission has an idempotency key, made and printed before anything is sent unless one
is given; the sealed bytes are kept under ``--state-dir`` (default
``$XDG_STATE_HOME/pregon/bids``), so running the same command again with that key after a
crash or a dropped connection sends nothing twice and never makes a second bid.

Exit codes: 0 done; 1 a failure outside the user's hands (no answer, a check that failed);
2 something the user must change (an argument, a file, the key, a refusal by the server).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Final, NoReturn

from pregon.client import errors, i18n
from pregon.client.client import (
    DEFAULT_CHUNK,
    Client,
    idempotency_key_check,
    new_idempotency_key,
)
from pregon.client.errors import ClientError
from pregon.client.i18n import _, ngettext
from pregon.client.receipts import Receipt
from pregon.client.transport import DEFAULT_RETRIES, DEFAULT_TIMEOUT
from pregon.sealing import SealingError, fingerprint, keyfile_read, parse_envelope, share_decrypt
from pregon.sealing.cli import PASSPHRASE_VARIABLE

API_KEY_VARIABLE: Final = "PREGON_API_KEY"
URL_VARIABLE: Final = "PREGON_URL"
LOG_KEY_VARIABLE: Final = "PREGON_LOG_KEY"
EMAIL_VARIABLE: Final = "PREGON_EMAIL"
PASSWORD_VARIABLE: Final = "PREGON_PASSWORD"  # noqa: S105  (the variable's name, not a password)
CODE_VARIABLE: Final = "PREGON_TOTP_CODE"
_AMOUNT = re.compile(r"(0|[1-9][0-9]{0,29})(\.[0-9]{1,10})?")
_CURRENCY = re.compile(r"[A-Z]{3}")
#: The sealing refusals a member declares at the opening instead of handing in a share, with the
#: reason the platform records: the key does not open the share, or the share does not match the
#: SHA-256 the envelope holds for the member.
DECLARED: Final = {"share_undecryptable": "share_undecryptable", "wrong_share": "share_mismatch"}


class ArgumentParser(argparse.ArgumentParser):
    """argparse, with its usage errors said in the client's words and exit code 2."""

    def error(self, message: str) -> NoReturn:
        """Print the usage and the problem, then exit with 2."""
        self.print_usage(sys.stderr)
        self.exit(2, _("error: %(message)s\n") % {"message": message})


# --- arguments -----------------------------------------------------------------------------------


def _connection(parser: argparse.ArgumentParser, *, person: bool = False) -> None:
    parser.add_argument(
        "--url",
        default=os.environ.get(URL_VARIABLE),
        help=_("the instance's address, like https://example.org (default: $%(variable)s)")
        % {"variable": URL_VARIABLE},
    )
    if person:
        parser.add_argument(
            "--email",
            default=os.environ.get(EMAIL_VARIABLE),
            help=_(
                "the e-mail address you sign in with; the password is read from $%(variable)s "
                "or asked (default: $%(email)s)"
            )
            % {"variable": PASSWORD_VARIABLE, "email": EMAIL_VARIABLE},
        )
    else:
        _api_key(parser)
    _log_and_retries(parser, log_key=not person)


def _api_key(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--api-key-env",
        default=API_KEY_VARIABLE,
        metavar="VARIABLE",
        help=_(
            "the environment variable holding your organization's API key (default: %(variable)s)"
        )
        % {"variable": API_KEY_VARIABLE},
    )


def _log_and_retries(parser: argparse.ArgumentParser, *, log_key: bool) -> None:
    if log_key:
        parser.add_argument(
            "--log-key",
            default=os.environ.get(LOG_KEY_VARIABLE),
            metavar="VKEY",
            help=_(
                "the transparency log's verifier key to trust, from the log's page (default: "
                "$%(variable)s, else the key the instance serves)"
            )
            % {"variable": LOG_KEY_VARIABLE},
        )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=_("how long to wait for each answer"),
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=DEFAULT_RETRIES,
        metavar="N",
        help=_("how many times a request without an answer is sent again"),
    )


def _receipt_out(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--receipt-out",
        type=Path,
        metavar="FILE",
        help=_("where to save the receipt (default: bid-BID_ID-ACTION.receipt.json)"),
    )


def _idempotency(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--idempotency-key",
        metavar="KEY",
        help=_(
            "the key of this submission, to retry one that was interrupted (default: a new one)"
        ),
    )


def _bid_content(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lot",
        action="append",
        required=True,
        metavar="LOT=AMOUNT[:CURRENCY]",
        help=_(
            "your price for a lot, like 1=12500.50:USD (the currency defaults to the tender's); "
            "repeat for each lot"
        ),
    )
    parser.add_argument(
        "--answer",
        action="append",
        default=[],
        metavar="QUESTION=ANSWER",
        help=_("your answer to one of the tender's questions; repeat for each"),
    )
    parser.add_argument(
        "--document",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help=_("a document of the bid, encrypted before it leaves this machine; repeat for each"),
    )
    parser.add_argument(
        "--declare",
        required=True,
        metavar="VERSION",
        help=_(
            "sign the self-declaration of this version with the bid, instead of uploading "
            "certificates (read it with `pregon bid declaration`)"
        ),
    )
    parser.add_argument(
        "--state-dir",
        type=Path,
        metavar="DIR",
        help=_(
            "where the sealed bid is kept until acknowledged (default: $XDG_STATE_HOME/pregon/bids)"
        ),
    )
    parser.add_argument(
        "--chunk-size",
        type=int,
        default=DEFAULT_CHUNK,
        metavar="BYTES",
        help=_("the size of each uploaded piece of a document"),
    )


def _bid_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="pregon bid",
        description=_(
            "Submit, replace or withdraw a sealed bid, and check its receipt. The bid is "
            "encrypted on this machine to the tender's opening committee, as the transparency "
            "log publishes it."
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    submit = commands.add_parser("submit", help=_("seal and submit a bid to a tender"))
    submit.add_argument("--tender", required=True, metavar="OCID", help=_("the tender's ocid"))
    _bid_content(submit)
    _idempotency(submit)
    _receipt_out(submit)
    _connection(submit)
    submit.set_defaults(handler=_submit)
    replace = commands.add_parser("replace", help=_("replace your bid by a new one"))
    replace.add_argument("bid_id", metavar="BID_ID", help=_("the bid to replace"))
    _bid_content(replace)
    _idempotency(replace)
    _receipt_out(replace)
    _connection(replace)
    replace.set_defaults(handler=_submit)
    withdraw = commands.add_parser("withdraw", help=_("withdraw your bid"))
    withdraw.add_argument("bid_id", metavar="BID_ID", help=_("the bid to withdraw"))
    _idempotency(withdraw)
    _receipt_out(withdraw)
    _connection(withdraw)
    withdraw.set_defaults(handler=_withdraw)
    declaration = commands.add_parser(
        "declaration", help=_("print the self-declaration signed with each bid, and its version")
    )
    _connection(declaration)
    declaration.set_defaults(handler=_declaration)
    receipt = commands.add_parser(
        "receipt", help=_("fetch a bid's receipt and check it is in the transparency log")
    )
    receipt.add_argument("bid_id", metavar="BID_ID", help=_("the bid"))
    _receipt_out(receipt)
    _connection(receipt)
    receipt.set_defaults(handler=_receipt)
    return parser


def _open_shares_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="pregon keys open-shares",
        description=_(
            "At a tender's opening: download its sealed bids, decrypt your share of each with "
            "your key file on this machine, and hand the shares in. A share your key does not "
            "open, or that does not match the SHA-256 the bid holds for you, is declared "
            "instead: your position is published with that bid."
        ),
    )
    parser.add_argument("--tender", required=True, metavar="OCID", help=_("the tender's ocid"))
    parser.add_argument(
        "--key-file", required=True, type=Path, metavar="FILE", help=_("your opening key file")
    )
    parser.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="FILE",
        help=_(
            "read the key file's passphrase from the first line of FILE (else $%(variable)s, else a prompt)"
        )
        % {"variable": PASSPHRASE_VARIABLE},
    )
    _connection(parser, person=True)
    parser.set_defaults(handler=_open_shares)
    return parser


# --- helpers ---------------------------------------------------------------------------------------


def _usage(message: str, hint: str = "") -> ClientError:
    return ClientError(errors.USAGE, message, hint=hint)


def _client(
    args: argparse.Namespace, *, chunk_size: int = DEFAULT_CHUNK, person: bool = False
) -> Client:
    if not args.url:
        raise _usage(
            _("No instance address given."),
            _("Pass --url https://example.org or set %(variable)s.") % {"variable": URL_VARIABLE},
        )
    api_key = None if person else os.environ.get(args.api_key_env, "").strip()
    if api_key == "":
        raise _usage(
            _("The environment variable %(variable)s holds no API key.")
            % {"variable": args.api_key_env},
            _(
                "Create an API key in your organization's settings and put it in %(variable)s "
                "(or name another variable with --api-key-env)."
            )
            % {"variable": args.api_key_env},
        )
    if args.timeout <= 0 or args.retries < 0 or chunk_size < 1:
        raise _usage(_("--timeout, --retries and --chunk-size must be positive."))
    return Client(
        args.url,
        api_key,
        timeout=args.timeout,
        retries=args.retries,
        log_key=getattr(args, "log_key", None) or None,
        chunk_size=chunk_size,
    )


def _sign_in(client: Client, args: argparse.Namespace) -> None:
    """Sign the committee member in: e-mail, password, and their authenticator's code."""
    if not args.email:
        raise _usage(
            _("No e-mail address given."),
            _("Pass --email with the address you sign in with, or set %(variable)s.")
            % {"variable": EMAIL_VARIABLE},
        )
    password = os.environ.get(PASSWORD_VARIABLE) or _ask(
        _("Password for %(email)s: ") % {"email": args.email}, secret=True
    )

    def code() -> str:
        return os.environ.get(CODE_VARIABLE) or _ask(_("Authenticator code: "), secret=False)

    client.sign_in(args.email, password, code)


def _ask(prompt: str, *, secret: bool) -> str:
    try:
        if secret:
            return getpass.getpass(prompt)
        # On standard error, as getpass does: standard output holds only the results.
        sys.stderr.write(prompt)
        sys.stderr.flush()
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.strip()
    except EOFError as error:
        raise _usage(
            _("Nothing was typed at the prompt %(prompt)s") % {"prompt": repr(prompt.strip())},
            _("Run the command in a terminal, or set %(password)s and %(code)s.")
            % {"password": PASSWORD_VARIABLE, "code": CODE_VARIABLE},
        ) from error


def parse_lot(text: str, default_currency: str | None) -> dict[str, str]:
    """``LOT=AMOUNT[:CURRENCY]`` as a lot of the plain bid."""
    lot, equals, rest = text.partition("=")
    amount, colon, currency = rest.partition(":")
    lot, amount, currency = lot.strip(), amount.strip(), currency.strip().upper()
    if not equals or not lot or not _AMOUNT.fullmatch(amount) or (colon and not currency):
        raise _usage(
            _("%(value)s is not LOT=AMOUNT[:CURRENCY].") % {"value": repr(text)},
            _("Write the lot id, '=', the amount with a point for decimals, like 1=12500.50:USD."),
        )
    currency = currency or default_currency or ""
    if not _CURRENCY.fullmatch(currency):
        raise _usage(
            _("The currency of lot %(lot)s is not a three-letter ISO 4217 code.") % {"lot": lot},
            _("Add it after the amount, like %(example)s.") % {"example": f"{lot}={amount}:USD"},
        )
    return {"lot": lot, "amount": amount, "currency": currency}


def parse_answer(text: str) -> dict[str, str]:
    """``QUESTION=ANSWER`` (split at the first '=') as an answer of the plain bid."""
    question, equals, answer = text.partition("=")
    if not equals or not question.strip():
        raise _usage(
            _("%(value)s is not QUESTION=ANSWER.") % {"value": repr(text)},
            _("Write the question, '=', then your answer."),
        )
    return {"question": question.strip(), "answer": answer}


def _tender_facts(client: Client, ocid: str) -> tuple[str | None, list[str]]:
    """The tender's currency and lot ids, from its latest release."""
    _release_id, release = client.latest_release(ocid)
    tender = release.get("tender")
    tender = tender if isinstance(tender, dict) else {}
    value = tender.get("value")
    currency = value.get("currency") if isinstance(value, dict) else None
    lots = [str(lot.get("id")) for lot in tender.get("lots") or [] if isinstance(lot, dict)]
    return (currency if isinstance(currency, str) else None), lots


def _bid(client: Client, ocid: str, args: argparse.Namespace) -> dict[str, Any]:
    currency, known = _tender_facts(client, ocid)
    lots = [parse_lot(text, currency) for text in args.lot]
    for lot in lots:
        if known and lot["lot"] not in known:
            raise _usage(
                _("The tender has no lot %(lot)s; its lots are %(lots)s.")
                % {"lot": lot["lot"], "lots": ", ".join(known)},
            )
    for path in args.document:
        if not path.is_file():
            raise _usage(
                _("%(path)s is not a file.") % {"path": path},
                _("Check the path of the document."),
            )
    return {"lots": lots, "answers": [parse_answer(text) for text in args.answer]}


def _state_dir(args: argparse.Namespace) -> Path:
    if args.state_dir is not None:
        return Path(args.state_dir)
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "pregon" / "bids"


def _key(args: argparse.Namespace, out: IO[str]) -> str:
    """The idempotency key given, or a new one, said before anything is sent."""
    if args.idempotency_key:
        return idempotency_key_check(args.idempotency_key)
    key = new_idempotency_key()
    out.write(
        _(
            "Idempotency key: %(key)s. If this command stops before the receipt is shown, run it "
            "again with --idempotency-key %(key)s: nothing is then sent or counted twice.\n"
        )
        % {"key": key}
    )
    out.flush()
    return key


@contextmanager
def _progress(err: IO[str]) -> Iterator[Callable[[int, int], None] | None]:
    """A byte progress bar on standard error when it is a terminal, else nothing."""
    if not err.isatty():
        yield None
        return
    # Loaded only for a terminal, as in `pregon ocds`.
    from tqdm import tqdm  # noqa: PLC0415

    bars: list[Any] = []

    def advance(sent: int, total: int) -> None:
        if not bars:
            bars.append(
                tqdm(
                    total=total,
                    desc=_("Uploading"),
                    unit="B",
                    unit_scale=True,
                    unit_divisor=1024,
                    file=err,
                )
            )
        bars[0].update(sent)

    try:
        yield advance
    finally:
        for bar in bars:
            bar.close()


def _save(receipt: Receipt, target: Path | None, out: IO[str]) -> None:
    path = target or Path(f"bid-{receipt.bid_id}-{receipt.action}.receipt.json")
    try:
        path.write_text(
            json.dumps(receipt.as_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    except OSError as error:
        raise _usage(
            _("Cannot write the receipt to %(path)s: %(reason)s.")
            % {"path": path, "reason": error.strerror or error},
            _("The bid was received; fetch the receipt again with `pregon bid receipt %(bid)s`.")
            % {"bid": receipt.bid_id},
        ) from error
    out.write(_("Receipt saved to %(path)s.\n") % {"path": path})


def _print_receipt(receipt: Receipt, out: IO[str]) -> None:
    headline = {
        "submit": _("Bid %(bid)s submitted."),
        "replace": _("Bid %(bid)s submitted, replacing the earlier one."),
        "withdraw": _("Bid %(bid)s withdrawn."),
    }[receipt.action]
    out.write(headline % {"bid": receipt.bid_id} + "\n")
    rows = [
        (_("Tender"), receipt.tender),
        (_("Commitment"), receipt.commitment),
        (_("Server time"), receipt.time),
        (_("Log leaf"), str(receipt.leaf_index)),
        (_("Signed by"), receipt.log_key.rsplit("+", 1)[0]),
    ]
    if receipt.status:
        rows.insert(0, (_("Status"), receipt.status))
    width = max(len(label) for label, _value in rows)
    for label, value in rows:
        out.write(f"  {label}:{' ' * (width - len(label))} {value}\n")


# --- commands ----------------------------------------------------------------------------------------


def _submit(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    client = _client(args, chunk_size=args.chunk_size)
    ocid = args.tender if args.command == "submit" else client.bid(args.bid_id)["tender"]
    bid = _bid(client, ocid, args)
    key = _key(args, err)
    with _progress(err) as progress:
        if args.command == "submit":
            receipt = client.submit(
                ocid,
                bid,
                args.document,
                key,
                declaration=args.declare,
                state_dir=_state_dir(args),
                progress=progress,
            )
        else:
            receipt = client.replace(
                args.bid_id,
                bid,
                args.document,
                key,
                declaration=args.declare,
                state_dir=_state_dir(args),
                progress=progress,
            )
    _print_receipt(receipt, out)
    _save(receipt, args.receipt_out, out)
    return 0


def _declaration(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    declaration = _client(args).self_declaration()
    out.write(
        _("Self-declaration, version %(version)s:") % {"version": declaration["version"]} + "\n\n"
    )
    for paragraph in declaration["text"]:
        out.write(f"{paragraph}\n\n")
    out.write(
        _("To sign it with a bid: pregon bid submit … --declare %(version)s")
        % {"version": declaration["version"]}
        + "\n"
    )
    return 0


def _withdraw(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    client = _client(args)
    key = _key(args, err)
    receipt = client.withdraw(args.bid_id, key)
    _print_receipt(receipt, out)
    _save(receipt, args.receipt_out, out)
    return 0


def _receipt(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    client = _client(args)
    receipt = client.receipt(args.bid_id)
    _print_receipt(receipt, out)
    assert receipt.inclusion is not None
    if receipt.inclusion.verified:
        out.write(
            _(
                "Inclusion verified: the transparency log holds this receipt's leaf under its "
                "signed checkpoint (tree size %(size)s).\n"
            )
            % {"size": receipt.inclusion.tree_size}
        )
    else:
        out.write(
            _(
                "Inclusion not verified yet: the latest signed checkpoint (tree size %(size)s) "
                "was signed before this receipt's leaf was added. Run this command again after "
                "the next checkpoint.\n"
            )
            % {"size": receipt.inclusion.tree_size}
        )
    _save(receipt, args.receipt_out, out)
    return 0


def _passphrase(args: argparse.Namespace) -> str:
    if args.passphrase_file is not None:
        try:
            lines = Path(args.passphrase_file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise _usage(
                _("Cannot read the passphrase file %(path)s.") % {"path": args.passphrase_file}
            ) from error
        return lines[0] if lines else ""
    if os.environ.get(PASSPHRASE_VARIABLE):
        return os.environ[PASSPHRASE_VARIABLE]
    try:
        return getpass.getpass(_("Passphrase of the key file: "))
    except EOFError as error:
        raise _usage(
            _("No passphrase given."),
            _("Type it at the prompt, or pass --passphrase-file FILE or set %(variable)s.")
            % {"variable": PASSPHRASE_VARIABLE},
        ) from error


def _sealing_reason(error: SealingError) -> str:
    """What a sealing failure means for the member opening a bid."""
    reasons = {
        "not_a_member": _("the bid holds no share for your key"),
        "share_undecryptable": _(
            "your share does not open with your key (the envelope was altered)"
        ),
        "wrong_share": _(
            "your share is not the one whose hash the bid carries (the bidder sealed it wrongly)"
        ),
        "wrong_tender": _("the bid was sealed for another tender"),
    }
    return reasons.get(error.code, error.message)


def _open_shares(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    try:
        data = args.key_file.read_bytes()
    except OSError as error:
        raise _usage(
            _("Cannot read the key file %(path)s: %(reason)s.")
            % {"path": args.key_file, "reason": error.strerror or error}
        ) from error
    client = _client(args, person=True)
    passphrase = _passphrase(args)
    try:
        private_raw, public_raw = keyfile_read(data, passphrase)
    except SealingError as error:
        if error.code == "wrong_passphrase":
            raise _usage(
                _("This passphrase does not open the key file %(path)s.") % {"path": args.key_file},
                _(
                    "Type it again exactly as chosen (it is case-sensitive), and check that this is your own key file."
                ),
            ) from error
        raise _usage(
            _("%(path)s is not a usable key file: %(reason)s")
            % {"path": args.key_file, "reason": error.message}
        ) from error
    member = fingerprint(public_raw)
    _sign_in(client, args)
    envelopes = client.opening_envelopes(args.tender)
    if not envelopes:
        out.write(_("The tender has no sealed bids.\n"))
    shares: list[tuple[str, bytes]] = []
    declared: list[tuple[str, str, str]] = []  # bid id, reason code, why in words
    failed = 0
    for item in envelopes:
        try:
            envelope = parse_envelope(item.envelope)
            share = share_decrypt(
                envelope, ocid=args.tender, private_raw=private_raw, fingerprint=member
            )
        except SealingError as error:
            if error.code in DECLARED:
                declared.append((item.bid_id, DECLARED[error.code], _sealing_reason(error)))
                continue
            failed += 1
            out.write(
                _("Bid %(bid)s (commitment %(commitment)s): not handed in: %(reason)s.\n")
                % {
                    "bid": item.bid_id,
                    "commitment": item.commitment,
                    "reason": _sealing_reason(error),
                }
            )
            continue
        shares.append((item.bid_id, share))
    # Without bids the hand-in is empty, and opens the tender with a record of no bids.
    if shares or declared or not envelopes:
        result = client.hand_in_shares(
            args.tender, shares, [(bid_id, reason) for bid_id, reason, _why in declared]
        )
        commitments = {e.bid_id: e.commitment for e in envelopes}
        for bid_id, _share in shares:
            out.write(
                _("Bid %(bid)s (commitment %(commitment)s): share handed in.\n")
                % {"bid": bid_id, "commitment": commitments[bid_id]}
            )
        for bid_id, _reason, why in declared:
            out.write(
                _(
                    "Bid %(bid)s (commitment %(commitment)s): declared that you cannot decrypt "
                    "your share: %(reason)s.\n"
                )
                % {"bid": bid_id, "commitment": commitments[bid_id], "reason": why}
            )
        if result.opened:
            done = ngettext(
                "The server holds %(count)s share of yours; the bids are now open.\n",
                "The server holds %(count)s shares of yours; the bids are now open.\n",
                result.handed_in,
            )
        else:
            done = ngettext(
                "The server holds %(count)s share of yours; the opening waits for other members.\n",
                "The server holds %(count)s shares of yours; the opening waits for other members.\n",
                result.handed_in,
            )
        out.write(done % {"count": result.handed_in})
        if declared:
            err.write(
                ngettext(
                    "You declared %(count)s bid whose share you cannot decrypt; your position is "
                    "published with it in the opening record. Tell the other members and the "
                    "buyer.\n",
                    "You declared %(count)s bids whose share you cannot decrypt; your position is "
                    "published with them in the opening record. Tell the other members and the "
                    "buyer.\n",
                    len(declared),
                )
                % {"count": len(declared)}
            )
    if failed:
        err.write(
            ngettext(
                "%(count)s bid could not be opened with your key; tell the other members and "
                "the buyer.\n",
                "%(count)s bids could not be opened with your key; tell the other members and "
                "the buyer.\n",
                failed,
            )
            % {"count": failed}
        )
        return 1
    return 0


def _run(parser: argparse.ArgumentParser, argv: Sequence[str]) -> int:
    args = parser.parse_args(list(argv))
    out, err = sys.stdout, sys.stderr
    try:
        result: int = args.handler(args, out, err)
    except ClientError as error:
        err.write(_("error: %(message)s\n") % {"message": error.message})
        if error.hint:
            err.write(error.hint + "\n")
        return 2 if error.user_error else 1
    except KeyboardInterrupt:
        err.write(_("Interrupted. Run the same command again to go on.\n"))
        return 130
    return result


def bid_main(argv: Sequence[str]) -> int:
    """``pregon bid ...``; return the exit code."""
    i18n.activate()
    return _run(_bid_parser(), argv)


def open_shares_main(argv: Sequence[str]) -> int:
    """``pregon keys open-shares ...``; return the exit code."""
    i18n.activate()
    return _run(_open_shares_parser(), argv)
