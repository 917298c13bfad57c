"""C2SP signed notes and checkpoints: reference vectors, round trips, tampering, cosigning, keys."""

from __future__ import annotations

import base64
import dataclasses

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from hypothesis import given, settings
from hypothesis import strategies as st

from pregon.tlog.checkpoint import (
    ALG_COSIGNATURE_V1,
    ALG_ED25519,
    MAX_SIGNATURES,
    Checkpoint,
    NoteSignature,
    SignerKey,
    VerifierKey,
    add_signature,
    compute_key_id,
    format_checkpoint,
    format_signer_key,
    format_verifier_key,
    generate_signer_key,
    join_note,
    open_checkpoint,
    open_note,
    parse_checkpoint,
    parse_signer_key,
    parse_verifier_key,
    sign_checkpoint,
    sign_note,
    split_note,
)
from pregon.tlog.errors import LedgerError, MalformedNoteError, NoteVerificationError
from pregon.tlog.merkle import MemoryNodeStore, MerkleLog

# The example key and note of Go's golang.org/x/mod/sumdb/note documentation: matching it byte for
# byte means Go verifiers and witnesses read our notes.
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT
    + "\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqf"
    "qdngotpRZb6KE6RyyBwJnAM=\n"
)

ORIGIN = "pregon.example/log"
ROOT = bytes(range(32))
LOG_KEY = generate_signer_key(ORIGIN)
WITNESS_KEY = generate_signer_key("witness.example/w1", algorithm=ALG_COSIGNATURE_V1)
CHECKPOINT = Checkpoint(ORIGIN, 20852163, ROOT)


def test_go_reference_note_is_reproduced_byte_for_byte() -> None:
    signer = parse_signer_key(GO_SKEY)
    verifier = parse_verifier_key(GO_VKEY)
    assert signer.verifier == verifier
    assert verifier.key_id == 0xC74F20A3
    assert format_verifier_key(verifier) == GO_VKEY
    assert format_signer_key(signer) == GO_SKEY
    assert sign_note(GO_TEXT, [signer]) == GO_NOTE
    opened = open_note(GO_NOTE, [verifier])
    assert opened.text == GO_TEXT
    assert opened.signed_by(verifier)


# The example of docs/ledger.md: a log signature and a witness cosignature over the 3-leaf tree
# of "a", "b", "c". Pinned so that a change of format cannot slip through unnoticed.
DOCS_NOTE = (
    "pregon.example/log\n3\nNmQuc8JUCrEh46a/lUWwokmCzYMOsT080Z3jzmwCHsE=\n\n"
    "— pregon.example/log wQmBi/JF50zKVF607rZ48fGi52LgRu6uceSiAeWOPlkm4m0AzrPz9qM69LfKLLvhtAYL5K3zsIB"
    "XFk8ouUJzZpYeFw0=\n"
    "— witness.example/w1 o+1w0QAAAABpVbkAyMLRG53KGRxqiER+llvZ7PUCGV2g9V44yDyF5zlmT21ozGO30zAfZ2aGi4"
    "wYbcR8O1yo+pxjg06/G86D4Kb6BA==\n"
)
DOCS_LOG_VKEY = "pregon.example/log+c109818b+AbXmsV1rKEzv806HBQsZnbThtIuH1O6OE0aGfXMJ/shR"
DOCS_WITNESS_VKEY = "witness.example/w1+a3ed70d1+BFSQt4f+DIat0OrehhBO3vaPMyW1+ETfVfPU5rezyGUR"


def test_documented_example_checkpoint_verifies() -> None:
    log_key = parse_verifier_key(DOCS_LOG_VKEY)
    witness_key = parse_verifier_key(DOCS_WITNESS_VKEY)
    verified = open_checkpoint(
        DOCS_NOTE, origin="pregon.example/log", verifiers=[log_key, witness_key]
    )
    log = MerkleLog(MemoryNodeStore())
    log.append_many([b"a", b"b", b"c"])
    assert verified.checkpoint == Checkpoint("pregon.example/log", 3, log.root())
    assert [s.timestamp for s in verified.note.verified] == [None, 1767225600]
    assert witness_key.algorithm == ALG_COSIGNATURE_V1


def test_key_id_is_the_truncated_sha256_of_name_newline_algorithm_and_key() -> None:
    public = parse_verifier_key(GO_VKEY).public_key
    assert compute_key_id("PeterNeumann", ALG_ED25519, public) == 0xC74F20A3
    assert compute_key_id("PeterNeumann", ALG_COSIGNATURE_V1, public) != 0xC74F20A3


def test_checkpoint_body_format() -> None:
    body = format_checkpoint(Checkpoint(ORIGIN, 42, ROOT, ("extension one",)))
    root = base64.b64encode(ROOT).decode()
    assert body == f"pregon.example/log\n42\n{root}\nextension one\n"
    assert parse_checkpoint(body) == Checkpoint(ORIGIN, 42, ROOT, ("extension one",))


def test_signed_checkpoint_round_trip() -> None:
    note = sign_checkpoint(CHECKPOINT, [LOG_KEY])
    assert note.startswith(format_checkpoint(CHECKPOINT) + "\n— pregon.example/log ")
    verified = open_checkpoint(note, origin=ORIGIN, verifiers=[LOG_KEY.verifier])
    assert verified.checkpoint == CHECKPOINT
    assert verified.note.signed_by(LOG_KEY.verifier)


@pytest.mark.parametrize(
    ("old", "new"),
    [("20852163", "20852164"), ("pregon.example/log", "pregon.example/lof"), ("AAECAw", "AAECAx")],
)
def test_tampered_checkpoint_is_rejected(old: str, new: str) -> None:
    note = sign_checkpoint(CHECKPOINT, [LOG_KEY])
    tampered = note.replace(old, new, 1)
    assert tampered != note
    with pytest.raises(NoteVerificationError):
        open_checkpoint(tampered, origin=ORIGIN, verifiers=[LOG_KEY.verifier])


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_any_single_character_change_is_rejected(data: st.DataObject) -> None:
    note = sign_checkpoint(CHECKPOINT, [LOG_KEY])
    position = data.draw(st.integers(0, len(note) - 1))
    replacement = data.draw(st.characters(codec="utf-8").filter(lambda c: c != note[position]))
    tampered = note[:position] + replacement + note[position + 1 :]
    with pytest.raises(LedgerError):
        open_checkpoint(tampered, origin=ORIGIN, verifiers=[LOG_KEY.verifier])


def test_wrong_key_is_rejected() -> None:
    note = sign_checkpoint(CHECKPOINT, [LOG_KEY])
    impostor = generate_signer_key(ORIGIN)  # same name, different key: an unknown signature
    with pytest.raises(NoteVerificationError, match="no signature from a trusted key"):
        open_checkpoint(note, origin=ORIGIN, verifiers=[impostor.verifier])


def test_a_bad_signature_from_a_known_key_rejects_the_whole_note() -> None:
    note = add_signature(sign_checkpoint(CHECKPOINT, [LOG_KEY]), WITNESS_KEY)
    text, signatures = split_note(note)
    broken = NoteSignature(LOG_KEY.name, LOG_KEY.key_id, bytes(64))
    forged = join_note(text, [broken, signatures[1]])
    with pytest.raises(NoteVerificationError, match="does not verify"):
        open_note(forged, [LOG_KEY.verifier, WITNESS_KEY.verifier])


def test_the_origin_must_be_the_expected_log() -> None:
    note = sign_checkpoint(Checkpoint("other.example/log", 1, ROOT), [LOG_KEY])
    with pytest.raises(NoteVerificationError, match="expected"):
        open_checkpoint(note, origin=ORIGIN, verifiers=[LOG_KEY.verifier])


def test_unknown_signatures_are_ignored() -> None:
    stranger = generate_signer_key("stranger.example")
    note = sign_checkpoint(CHECKPOINT, [stranger, LOG_KEY])
    opened = open_note(note, [LOG_KEY.verifier])
    assert [s.key for s in opened.verified] == [LOG_KEY.verifier]
    assert [s.name for s in opened.unverified] == ["stranger.example"]


def test_witness_cosigned_note_verifies_with_either_key_and_both() -> None:
    note = add_signature(sign_checkpoint(CHECKPOINT, [LOG_KEY]), WITNESS_KEY, timestamp=1679315147)
    assert note.count("\n— ") == 2
    by_log = open_checkpoint(note, origin=ORIGIN, verifiers=[LOG_KEY.verifier])
    by_witness = open_checkpoint(note, origin=ORIGIN, verifiers=[WITNESS_KEY.verifier])
    by_both = open_checkpoint(
        note, origin=ORIGIN, verifiers=[LOG_KEY.verifier, WITNESS_KEY.verifier]
    )
    assert by_log.checkpoint == by_witness.checkpoint == CHECKPOINT
    assert by_both.note.signed_by(LOG_KEY.verifier)
    assert by_both.note.signed_by(WITNESS_KEY.verifier)
    assert [s.timestamp for s in by_both.note.verified] == [None, 1679315147]


def test_cosignature_signs_the_c2sp_cosignature_v1_message() -> None:
    note = add_signature(sign_checkpoint(CHECKPOINT, [LOG_KEY]), WITNESS_KEY, timestamp=1679315147)
    _, signatures = split_note(note)
    cosignature = signatures[1]
    assert cosignature.signature[:8] == (1679315147).to_bytes(8, "big")
    message = b"cosignature/v1\ntime 1679315147\n" + format_checkpoint(CHECKPOINT).encode()
    public = Ed25519PublicKey.from_public_bytes(WITNESS_KEY.verifier.public_key)
    public.verify(cosignature.signature[8:], message)  # raises if the message differs


def test_cosigning_again_replaces_the_earlier_cosignature() -> None:
    note = add_signature(sign_checkpoint(CHECKPOINT, [LOG_KEY]), WITNESS_KEY, timestamp=1)
    again = add_signature(note, WITNESS_KEY, timestamp=2)
    opened = open_note(again, [WITNESS_KEY.verifier])
    assert again.count("\n— ") == 2
    assert [s.timestamp for s in opened.verified] == [2]


def test_key_rotation_overlap_verifies_with_old_or_new_key() -> None:
    new_key = generate_signer_key(ORIGIN)
    note = sign_checkpoint(CHECKPOINT, [LOG_KEY, new_key])
    for trusted in ([LOG_KEY.verifier], [new_key.verifier]):
        assert open_checkpoint(note, origin=ORIGIN, verifiers=trusted).checkpoint == CHECKPOINT


def test_generated_keys_round_trip_through_their_string_forms() -> None:
    for algorithm in (ALG_ED25519, ALG_COSIGNATURE_V1):
        signer = generate_signer_key("example.org/k", algorithm=algorithm)
        assert parse_signer_key(format_signer_key(signer)) == signer
        assert parse_verifier_key(format_verifier_key(signer.verifier)) == signer.verifier
        assert signer.verifier.algorithm == algorithm


def test_signer_key_repr_hides_the_seed() -> None:
    # PRIVATE+KEY+<name>+<id>+<base64>: the base64 may itself hold a "+".
    seed_b64 = format_signer_key(LOG_KEY).removeprefix("PRIVATE+KEY+").split("+", 2)[2]
    assert len(seed_b64) == 44
    assert seed_b64 not in repr(LOG_KEY)
    assert repr(LOG_KEY.seed) not in repr(LOG_KEY)


def _with_key_bytes(vkey: str, raw: bytes) -> str:
    name, key_id, _ = vkey.split("+", 2)
    return f"{name}+{key_id}+{base64.b64encode(raw).decode()}"


GO_RAW = base64.b64decode(GO_VKEY.split("+", 2)[2])


@pytest.mark.parametrize(
    "text",
    [
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # wrong id
        "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # short id
        "PeterNeumann+c74f20ag+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # not hex
        "PeterNeumanN+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # other name
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # space in name
        "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # empty name
        "PeterNeumann+c74f20a3",
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",  # bad base64
        _with_key_bytes(GO_VKEY, GO_RAW[:-1]),  # 31-byte key
        _with_key_bytes(GO_VKEY, b"\x02" + GO_RAW[1:]),  # unsupported algorithm
        GO_SKEY,  # a private key is not a verifier key
    ],
)
def test_malformed_verifier_keys_are_refused(text: str) -> None:
    with pytest.raises(MalformedNoteError):
        parse_verifier_key(text)


@pytest.mark.parametrize(
    "text",
    [
        GO_VKEY,
        "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
        "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDF",
        "PRIVATE+KEY+PeterNeumann+c74f20a3",
    ],
)
def test_malformed_signer_keys_are_refused(text: str) -> None:
    with pytest.raises(MalformedNoteError):
        parse_signer_key(text)


def test_key_objects_refuse_bad_names_and_lengths() -> None:
    for name in ("", "a+b", "a b", "tab\there", "nbsp\u00a0here"):
        with pytest.raises(MalformedNoteError):
            SignerKey(name, ALG_ED25519, bytes(32))
    with pytest.raises(MalformedNoteError):
        VerifierKey("ok", ALG_ED25519, bytes(31))
    with pytest.raises(MalformedNoteError):
        VerifierKey("ok", 0x05, bytes(32))


ROOT_B64 = base64.b64encode(ROOT).decode()


@pytest.mark.parametrize(
    "body",
    [
        f"o\n1\n{ROOT_B64}",  # no final newline
        "o\n1\n",  # two lines
        f"\n1\n{ROOT_B64}\n",  # empty origin
        f"o\n1\n{ROOT_B64}\n\nextension\n",  # empty extension line
        f"o\n01\n{ROOT_B64}\n",  # leading zero
        f"o\n+1\n{ROOT_B64}\n",
        f"o\n-1\n{ROOT_B64}\n",
        f"o\n 1\n{ROOT_B64}\n",
        f"o\n1 \n{ROOT_B64}\n",
        f"o\n1e3\n{ROOT_B64}\n",
        f"o\n\u0661\n{ROOT_B64}\n",  # ARABIC-INDIC DIGIT ONE: int() would accept it
        f"o\n{2**64}\n{ROOT_B64}\n",
        f"o\n1\n{base64.b64encode(ROOT[:31]).decode()}\n",
        f"o\n1\n{base64.b64encode(ROOT + b'x').decode()}\n",
        f"o\n1\n{ROOT_B64.rstrip('=')}\n",  # unpadded
        f"o\n1\n{ROOT_B64[:-2]}B=\n",  # non-canonical trailing bits
        f"o\n1\n{ROOT_B64}\nbell\x07\n",
        f"o\r\n1\n{ROOT_B64}\n",
    ],
)
def test_malformed_checkpoint_bodies_are_refused(body: str) -> None:
    with pytest.raises(MalformedNoteError):
        parse_checkpoint(body)


def test_canonical_sizes_at_the_edges_parse() -> None:
    assert parse_checkpoint(f"o\n0\n{ROOT_B64}\n").size == 0
    assert parse_checkpoint(f"o\n{2**64 - 1}\n{ROOT_B64}\n").size == 2**64 - 1


GOOD_SIGNATURE_LINE = GO_NOTE[len(GO_TEXT) + 1 :]


@pytest.mark.parametrize(
    "note",
    [
        GO_TEXT + GOOD_SIGNATURE_LINE,  # no blank line
        GO_TEXT + "\n" + GOOD_SIGNATURE_LINE.rstrip("\n"),  # no final newline
        GO_TEXT + "\n",  # no signatures
        GO_TEXT + "\n" + GOOD_SIGNATURE_LINE.replace("—", "-"),  # hyphen, not em dash
        GO_TEXT + "\n" + GOOD_SIGNATURE_LINE.replace("PeterNeumann", "Peter+Neumann"),
        GO_TEXT + "\n— PeterNeumann \n",  # empty signature
        GO_TEXT + "\n— PeterNeumann AAAAAA==\n",  # key id and nothing else
        GO_TEXT + "\n" + GOOD_SIGNATURE_LINE + "\n",  # trailing blank line
        GO_TEXT.replace("If", "If\x00") + "\n" + GOOD_SIGNATURE_LINE,
        GO_TEXT + "\n" + GOOD_SIGNATURE_LINE * (MAX_SIGNATURES + 1),
    ],
)
def test_malformed_notes_are_refused(note: str) -> None:
    with pytest.raises(MalformedNoteError):
        open_note(note, [parse_verifier_key(GO_VKEY)])


def test_signing_refuses_text_without_final_newline_or_without_signers() -> None:
    with pytest.raises(MalformedNoteError):
        sign_note("no newline", [LOG_KEY])
    with pytest.raises(MalformedNoteError):
        sign_note("text\n", [])
    with pytest.raises(MalformedNoteError):
        add_signature(sign_note("text\n", [LOG_KEY]), WITNESS_KEY, timestamp=-1)


def test_checkpoint_refuses_values_that_do_not_format_back() -> None:
    for changes in (
        {"origin": ""},
        {"origin": "two\nlines"},
        {"size": -1},
        {"size": 2**64},
        {"size": True},
        {"root_hash": ROOT[:31]},
        {"extensions": ("",)},
    ):
        with pytest.raises(MalformedNoteError):
            dataclasses.replace(CHECKPOINT, **changes)


line_text = st.text(
    st.characters(codec="utf-8", min_codepoint=0x20, exclude_characters="\n"), min_size=1
)


@settings(max_examples=100, deadline=None)
@given(
    origin=line_text,
    size=st.integers(0, 2**64 - 1),
    root=st.binary(min_size=32, max_size=32),
    extensions=st.lists(line_text, max_size=3),
)
def test_checkpoint_format_and_parse_are_inverse(
    origin: str, size: int, root: bytes, extensions: list[str]
) -> None:
    checkpoint = Checkpoint(origin, size, root, tuple(extensions))
    assert parse_checkpoint(format_checkpoint(checkpoint)) == checkpoint
