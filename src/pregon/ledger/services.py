"""Every write to the transparency log: appending leaves, signing checkpoints, witnessing.

Appends are serialised on the one ``LogHead`` row (``SELECT … FOR UPDATE`` on PostgreSQL; on
SQLite the IMMEDIATE transaction already holds the database's write lock), so indices are
gapless and the tree each appender extends is the committed one. Each append costs one read of
the at most ``log2 n`` frontier nodes and one multi-row insert, whatever the log's size.

A checkpoint is signed once per committed transaction that appended, right after the commit:
a publication that logs fifty releases in one transaction gets one checkpoint, not fifty.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from pregon.accounts.permissions import require_platform_admin
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import NotFound, ValidationFailed
from pregon.ledger import keys
from pregon.ledger.choices import LeafKind
from pregon.ledger.models import (
    IssuedCosignature,
    Leaf,
    LogHead,
    ReceivedCosignature,
    SignedCheckpoint,
    WatchedLog,
)
from pregon.ledger.store import DatabaseNodeStore, insert_rows
from pregon.tlog.checkpoint import (
    ALG_ED25519,
    Checkpoint,
    VerifierKey,
    add_signature,
    format_checkpoint,
    join_note,
    open_checkpoint,
    open_note,
    parse_checkpoint,
    parse_verifier_key,
    sign_checkpoint,
    split_note,
)
from pregon.tlog.client import LogClient, LogClientError, log_base_url
from pregon.tlog.errors import InvalidProofError, LedgerError
from pregon.tlog.merkle import MerkleLog, leaf_hash, verify_consistency

logger = logging.getLogger(__name__)

HEAD_ID = 1
_REF_MAX = Leaf._meta.get_field("ref").max_length or 255


@dataclass(frozen=True, kw_only=True)
class LeafData:
    """One item to log: its kind, its exact bytes and the id of what it is."""

    kind: str
    data: bytes
    ref: str


# ---------------------------------------------------------------------------------------------
# appending


def leaf_append(*, kind: str, data: bytes, ref: str) -> Leaf:
    """Append one leaf (``data`` exactly as published) and return it with its index and hash.

    Call it inside the transaction that stores what is logged, so both exist or neither does;
    the log head stays locked until that transaction ends, so keep the rest of it short.
    """
    return leaves_append(entries=[LeafData(kind=kind, data=data, ref=ref)])[0]


def leaves_append(*, entries: Sequence[LeafData]) -> list[Leaf]:
    """Append several leaves with one tree update: one node read and one insert per table."""
    for entry in entries:
        if entry.kind not in LeafKind.values:
            raise ValidationFailed(
                _("%(kind)s is not a kind of log leaf.") % {"kind": entry.kind},
                code="unknown_leaf_kind",
            )
        if not entry.ref or len(entry.ref) > _REF_MAX:
            raise ValidationFailed(
                _("A log leaf needs a reference of 1 to %(max)d characters.") % {"max": _REF_MAX},
                code="invalid_leaf_ref",
            )
    if not entries:
        return []
    hashes = [leaf_hash(entry.data) for entry in entries]
    with transaction.atomic():
        head = _lock_head()
        tree = MerkleLog(DatabaseNodeStore(), size=head.size)
        start = tree.append_leaf_hashes(hashes)
        now = clock.now()
        connection = connections[DEFAULT_DB_ALIAS]
        stamp = connection.ops.adapt_datetimefield_value(now)
        insert_rows(
            DEFAULT_DB_ALIAS,
            Leaf._meta.db_table,
            ("index", "kind", "ref", "leaf_hash", "created_at"),
            [
                (start + offset, entry.kind, entry.ref, value, stamp)
                for offset, (entry, value) in enumerate(zip(entries, hashes, strict=True))
            ],
        )
        LogHead.objects.filter(pk=HEAD_ID).update(size=tree.size)
        _issue_checkpoint_on_commit()
    leaves = []
    for offset, (entry, value) in enumerate(zip(entries, hashes, strict=True)):
        leaf = Leaf(index=start + offset, kind=entry.kind, ref=entry.ref, leaf_hash=value)
        leaf.created_at = now
        leaf._state.adding = False
        leaf._state.db = DEFAULT_DB_ALIAS
        leaves.append(leaf)
    return leaves


def _lock_head() -> LogHead:
    """Lock and return the log head, creating it from the leaves if it is missing."""
    head = LogHead.objects.select_for_update().filter(pk=HEAD_ID).first()
    if head is None:
        # Only on a new (or flushed) database: the size is what the leaves say.
        last = Leaf.objects.aggregate(last=Max("index"))["last"]
        size = 0 if last is None else last + 1
        LogHead.objects.bulk_create([LogHead(pk=HEAD_ID, size=size)], ignore_conflicts=True)
        head = LogHead.objects.select_for_update().get(pk=HEAD_ID)
    return head


class _CheckpointAfterCommit:
    """The on-commit callback that signs a checkpoint; remembers whether it ran."""

    def __init__(self) -> None:
        self.done = False

    def __call__(self) -> None:
        # Registered as a robust callback: the appended leaves are committed whatever happens
        # here; Django logs a failure, and the next append or `pregon log checkpoint` signs.
        self.done = True
        checkpoint_issue()


def _issue_checkpoint_on_commit() -> None:
    """Sign a checkpoint after the current transaction commits, once however many appends.

    A callback already registered in this transaction, and neither run nor discarded by a
    rollback, will sign for this append too.
    """
    connection = transaction.get_connection()
    pending = getattr(connection, "_pregon_checkpoint_callback", None)
    if (
        pending is not None
        and not pending.done
        and any(entry[1] is pending for entry in connection.run_on_commit)
    ):
        return
    callback = _CheckpointAfterCommit()
    connection._pregon_checkpoint_callback = callback
    transaction.on_commit(callback, robust=True)


# ---------------------------------------------------------------------------------------------
# checkpoints


def checkpoint_issue(*, force: bool = False) -> SignedCheckpoint | None:
    """Sign a checkpoint of the log's current size, unless the latest one already covers it.

    The latest checkpoint is re-signed (a new row, same size) when the origin or the set of
    signing keys changed since, e.g. when a new key joins during a rotation; ``force`` re-signs
    in any case. Returns the new checkpoint, or ``None`` when there was nothing to sign.
    """
    origin = keys.log_origin()
    signers = keys.signer_keys()
    with transaction.atomic():
        head = _lock_head()
        latest = SignedCheckpoint.objects.order_by("-id").first()
        if latest is not None and latest.size > head.size:
            msg = f"the latest checkpoint covers {latest.size} leaves, the log has {head.size}"
            raise LedgerError(msg)
        if (
            latest is not None
            and latest.size == head.size
            and not force
            and _signed_as_now(latest.note, origin, {key.key_id for key in signers})
        ):
            return None
        root = MerkleLog(DatabaseNodeStore(), size=head.size).root()
        timestamp = int(clock.now().timestamp())
        note = sign_checkpoint(Checkpoint(origin, head.size, root), signers, timestamp=timestamp)
        return SignedCheckpoint.objects.create(
            size=head.size, root_hash=root, note=note, created_at=clock.now()
        )


def _signed_as_now(note: str, origin: str, key_ids: set[int]) -> bool:
    text, signatures = split_note(note)
    return text.split("\n", 1)[0] == origin and {s.key_id for s in signatures} == key_ids


# ---------------------------------------------------------------------------------------------
# witnesses


def _require_operator(actor: Actor) -> None:
    """Witness configuration is for operators: a command on the server, or a platform admin."""
    if actor.user is None and actor.api_key is None and actor.channel == "command":
        return
    require_platform_admin(actor)


def witness_add(*, actor: Actor, url: str, vkey: str) -> WatchedLog:
    """Watch another instance's log at ``url`` whose checkpoints ``vkey`` verifies.

    Adding an origin that is already known updates its address and key and watches it again;
    what was witnessed before stays.
    """
    _require_operator(actor)
    try:
        key = parse_verifier_key(vkey.strip())
    except LedgerError as error:
        raise ValidationFailed(
            _("The verifier key cannot be read: %(reason)s") % {"reason": error},
            code="invalid_key",
            field="key",
        ) from error
    if key.algorithm != ALG_ED25519:
        raise ValidationFailed(
            _("This is not a log's verifier key (its algorithm must be Ed25519)."),
            code="invalid_key",
            field="key",
        )
    try:
        base = log_base_url(url)
    except LogClientError as error:
        raise ValidationFailed(
            _("The address must start with http:// or https://."), code="invalid_url", field="url"
        ) from error
    with transaction.atomic():
        watched = WatchedLog.objects.select_for_update().filter(origin=key.name).first()
        if watched is None:
            watched = WatchedLog.objects.create(origin=key.name, url=base, vkey=vkey.strip())
            audit_record(
                actor=actor,
                action="log.witness_add",
                target=watched,
                summary={"origin": key.name, "url": base},
            )
            return watched
        before = {"url": watched.url, "vkey": watched.vkey, "active": watched.active}
        watched.url, watched.vkey, watched.active = base, vkey.strip(), True
        watched.save(update_fields=["url", "vkey", "active"])
        audit_record(
            actor=actor,
            action="log.witness_update",
            target=watched,
            summary={"before": before, "url": base, "vkey": watched.vkey},
        )
        return watched


def witness_remove(*, actor: Actor, origin: str) -> WatchedLog:
    """Stop watching the log ``origin``; its cosignatures stay in the history."""
    _require_operator(actor)
    with transaction.atomic():
        watched = WatchedLog.objects.select_for_update().filter(origin=origin, active=True).first()
        if watched is None:
            raise NotFound(
                _("This instance does not watch a log named %(origin)s.") % {"origin": origin},
                code="unknown_log",
            )
        watched.active = False
        watched.save(update_fields=["active"])
        audit_record(actor=actor, action="log.witness_remove", target=watched, summary={})
        return watched


@dataclass(kw_only=True)
class WitnessPoll:
    """What one poll of a watched log did."""

    origin: str
    ok: bool
    size: int | None = None
    cosigned: IssuedCosignature | None = None
    previous_size: int | None = None
    received: list[ReceivedCosignature] = field(default_factory=list)
    error: str = ""


def witness_poll(*, watched_log_id: int, timeout: float = 30.0) -> WitnessPoll:
    """Check a watched log's latest checkpoint and cosign it; collect its cosignatures of ours.

    1. Fetch the log's checkpoint and verify its signature with the configured key.
    2. Check it extends the last checkpoint cosigned for that log (consistency proof); a
       smaller size or another root at the same size is a fork and is refused loudly.
    3. Cosign it and keep the cosigned note (served at ``/log/witness/cosignatures``).
    4. Fetch that instance's cosignatures of this log's checkpoints, verify them with its key
       and keep them (served beside our checkpoint at ``/log/checkpoint``).

    Never raises for what the other log does: failures are returned and kept on the row.
    """
    watched = WatchedLog.objects.get(pk=watched_log_id)
    result = WitnessPoll(origin=watched.origin, ok=False)
    client = LogClient(watched.url, timeout=timeout)
    try:
        key = parse_verifier_key(watched.vkey)
        _cosign_latest(watched, key, client, result)
        result.received = _collect_cosignatures(watched, key, client)
        result.ok = True
    except LedgerError as error:
        result.error = str(error)
        logger.warning("Witnessing %s failed: %s", watched.origin, error)
    except Exception as error:
        # One misbehaving peer (or a bug with its answers) must not stop the others' polls.
        result.error = f"{type(error).__name__}: {error}"
        logger.exception("Witnessing %s failed unexpectedly", watched.origin)
    WatchedLog.objects.filter(pk=watched.pk).update(
        last_polled_at=clock.now(), last_error=result.error
    )
    return result


def witness_poll_all(*, timeout: float = 30.0) -> list[WitnessPoll]:
    """Poll every watched log once (``pregon witness run`` and the periodic task)."""
    ids = WatchedLog.objects.filter(active=True).order_by("origin").values_list("pk", flat=True)
    return [witness_poll(watched_log_id=pk, timeout=timeout) for pk in ids]


def _cosign_latest(
    watched: WatchedLog, key: VerifierKey, client: LogClient, result: WitnessPoll
) -> None:
    note = client.checkpoint()
    verified = open_checkpoint(note, origin=watched.origin, verifiers=[key])
    if not verified.note.signed_by(key):
        msg = "the checkpoint is not signed by the log's key"
        raise InvalidProofError(msg)
    checkpoint = verified.checkpoint
    result.size = checkpoint.size
    previous = watched.issued_cosignatures.order_by("-size", "-id").first()
    if previous is not None:
        result.previous_size = previous.size
        _check_extends(previous, checkpoint, client)
        if previous.size == checkpoint.size:
            return  # already cosigned: nothing new to vouch for
    text, signatures = split_note(note)
    own = [s for s in signatures if (s.name, s.key_id) == (key.name, key.key_id)]
    timestamp = int(clock.now().timestamp())
    cosigned = add_signature(join_note(text, own), keys.cosigner_key(), timestamp=timestamp)
    with transaction.atomic():
        WatchedLog.objects.select_for_update().get(pk=watched.pk)
        latest = watched.issued_cosignatures.order_by("-size", "-id").first()
        if (latest and latest.pk) != (previous and previous.pk):
            # Another poll cosigned in the meantime; the next poll checks from there.
            return
        result.cosigned = IssuedCosignature.objects.create(
            watched_log=watched,
            size=checkpoint.size,
            root_hash=checkpoint.root_hash,
            note=cosigned,
            created_at=clock.now(),
        )


def _check_extends(previous: IssuedCosignature, checkpoint: Checkpoint, client: LogClient) -> None:
    """Refuse a checkpoint that does not extend the one this instance cosigned before."""
    if checkpoint.size < previous.size:
        msg = (
            f"the log went back from {previous.size} to {checkpoint.size} leaves "
            "since this instance cosigned it: possible fork"
        )
        raise InvalidProofError(msg)
    if checkpoint.size == previous.size:
        if checkpoint.root_hash != bytes(previous.root_hash):
            msg = f"the log shows another root for size {checkpoint.size} than it did: fork"
            raise InvalidProofError(msg)
        return
    if previous.size == 0:
        return  # every tree extends the empty one
    proof = client.consistency_proof(previous.size, checkpoint.size)
    verify_consistency(
        first=previous.size,
        second=checkpoint.size,
        first_root=bytes(previous.root_hash),
        second_root=checkpoint.root_hash,
        proof=proof,
    )


def _collect_cosignatures(
    watched: WatchedLog, key: VerifierKey, client: LogClient
) -> list[ReceivedCosignature]:
    """Fetch the watched instance's cosignature of our log, if it made one, and keep it."""
    note = client.witness_cosignatures(keys.log_origin())
    if note is None:
        return []
    witness_key = keys.cosigner_verifier_for(key)
    opened = open_note(note, [witness_key])
    checkpoint = parse_checkpoint(opened.text)
    ours = (
        SignedCheckpoint.objects.filter(size=checkpoint.size, root_hash=checkpoint.root_hash)
        .order_by("-id")
        .first()
    )
    if ours is None or opened.text != format_checkpoint(
        Checkpoint(keys.log_origin(), ours.size, bytes(ours.root_hash))
    ):
        msg = (
            f"{watched.origin} cosigned a checkpoint this log never signed (size {checkpoint.size})"
        )
        raise InvalidProofError(msg)
    _text, signatures = split_note(note)
    lines = [
        signature.line
        for signature in signatures
        if (signature.name, signature.key_id) == (witness_key.name, witness_key.key_id)
    ]
    timestamp = opened.verified[0].timestamp or 0
    received: list[ReceivedCosignature] = []
    for line in lines:
        if ReceivedCosignature.objects.filter(
            size=ours.size, root_hash=bytes(ours.root_hash), signature_line=line
        ).exists():
            continue
        received.append(
            ReceivedCosignature.objects.create(
                witness=watched,
                size=ours.size,
                root_hash=bytes(ours.root_hash),
                signature_line=line,
                signed_at=_from_timestamp(timestamp),
                created_at=clock.now(),
            )
        )
    return received


def _from_timestamp(timestamp: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(timestamp, tz=dt.UTC)
