// The sealed-bid envelope "pregon-sealed-bid/1": its constants and its parser, with the same
// checks and error codes as pregon.sealing.envelope.parse_envelope.

import { SealingError } from "./errors.js";
import { asBytes, b64decode, canonicalJson, isHex, parseJson, utf8Decode } from "./format.js";

export const ENVELOPE_FORMAT = "pregon-sealed-bid/1";
export const BID_FORMAT = "pregon-bid/1";
export const MAX_ENVELOPE_BYTES = 1024 * 1024; // what the server stores for one bid
export const SHARE_SIZE = 33; // the 32-byte data key's share, its x coordinate last
export const SEALED_SHARE_SIZE = 32 + SHARE_SIZE + 16; // HPKE enc || ciphertext || tag
export const DOCUMENT_OVERHEAD = 12 + 16; // a stored document's nonce and tag
export const MAX_MEMBERS = 255; // GF(256) has 255 non-zero x coordinates
export const MAX_TEXT = 10000; // characters of any text field
export const DOCUMENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const ENVELOPE_FIELDS = "ciphertext,documents,format,nonce,shares,tender,threshold";
const DOCUMENT_FIELDS = "id,sha256,size";
const SHARE_FIELDS = "member,sha256,share";

// Length in Unicode code points, as Python's len() counts.
export function textLength(text) {
  let length = 0;
  for (const _ of text) {
    length += 1;
  }
  return length;
}

export function isText(value) {
  return typeof value === "string" && value.length > 0 && textLength(value) <= MAX_TEXT;
}

export function hasFields(object, fields) {
  return (
    object !== null &&
    typeof object === "object" &&
    !Array.isArray(object) &&
    Object.keys(object).sort().join(",") === fields
  );
}

function malformed(reason) {
  return new SealingError(
    "malformed_envelope",
    `This is not a valid sealed bid envelope: ${reason}.`,
    { reason },
  );
}

function badSize(field, expected, got) {
  return new SealingError("bad_size", `${field} must be ${expected}, not ${got}.`, {
    field,
    expected,
  });
}

function parseDocuments(documents) {
  if (!Array.isArray(documents)) {
    throw malformed('"documents" must be a list');
  }
  const ids = new Set();
  for (const document of documents) {
    if (!hasFields(document, DOCUMENT_FIELDS)) {
      throw malformed('each document must be {"id", "size", "sha256"}');
    }
    const { id, size, sha256 } = document;
    if (typeof id !== "string" || !DOCUMENT_ID.test(id)) {
      throw malformed("a document id must be 1 to 64 of A-Z a-z 0-9 _ -");
    }
    if (!Number.isSafeInteger(size) || size < DOCUMENT_OVERHEAD) {
      throw badSize(`document ${id}`, `at least ${DOCUMENT_OVERHEAD} bytes`, size);
    }
    if (!isHex(sha256, 64)) {
      throw malformed(`the sha256 of document ${id} is not 64 lowercase hex digits`);
    }
    if (ids.has(id)) {
      throw new SealingError("duplicate_document", `The envelope lists document ${id} twice.`, {
        document: id,
      });
    }
    ids.add(id);
  }
}

function parseShares(shares) {
  if (!Array.isArray(shares)) {
    throw malformed('"shares" must be a list');
  }
  if (shares.length < 1 || shares.length > MAX_MEMBERS) {
    throw new SealingError(
      "bad_threshold",
      `An envelope holds 1 to ${MAX_MEMBERS} shares, not ${shares.length}.`,
      {
        shares: String(shares.length),
      },
    );
  }
  const members = new Set();
  for (const entry of shares) {
    if (!hasFields(entry, SHARE_FIELDS)) {
      throw malformed('each share must be {"member", "share", "sha256"}');
    }
    const { member, sha256 } = entry;
    if (!isHex(member, 64)) {
      throw malformed("a member must be named by a fingerprint, 64 lowercase hex digits");
    }
    if (!isHex(sha256, 64)) {
      throw malformed(`the sha256 of the share of ${member} is not 64 lowercase hex digits`);
    }
    const sealed = b64decode(entry.share, `share of ${member}`);
    if (sealed.length !== SEALED_SHARE_SIZE) {
      throw badSize(`share of ${member}`, `${SEALED_SHARE_SIZE} bytes`, sealed.length);
    }
    if (members.has(member)) {
      throw new SealingError(
        "duplicate_member",
        `The envelope holds two shares for member ${member}.`,
        { member },
      );
    }
    members.add(member);
  }
}

// Envelope bytes -> the envelope object, after the checks of the server's parser: exactly the
// contract's fields, canonical (JCS) bytes, canonical base64url, exact sizes, no member or
// document twice, 1 <= threshold <= members.
export function parseEnvelope(data) {
  const bytes = asBytes(data, "envelope");
  if (bytes.length > MAX_ENVELOPE_BYTES) {
    throw new SealingError(
      "too_large",
      `The envelope is ${bytes.length} bytes; at most ${MAX_ENVELOPE_BYTES} are accepted.`,
      {
        size: String(bytes.length),
        limit: String(MAX_ENVELOPE_BYTES),
      },
    );
  }
  let envelope;
  let text;
  try {
    text = utf8Decode(bytes);
    envelope = parseJson(text);
  } catch (error) {
    throw malformed("it is not strict JSON");
  }
  if (envelope === null || typeof envelope !== "object" || Array.isArray(envelope)) {
    throw malformed("it is not a JSON object");
  }
  if ("format" in envelope && envelope.format !== ENVELOPE_FORMAT) {
    throw new SealingError(
      "unknown_format",
      `This is not a sealed bid of a known format (expected ${ENVELOPE_FORMAT}).`,
      {
        format: String(envelope.format).slice(0, 100),
      },
    );
  }
  if (!hasFields(envelope, ENVELOPE_FIELDS)) {
    throw malformed(`its members must be exactly ${ENVELOPE_FIELDS}`);
  }
  let canonical;
  try {
    canonical = canonicalJson(envelope);
  } catch (error) {
    throw malformed("it holds a value outside JSON's strict subset");
  }
  if (canonical !== text) {
    throw new SealingError(
      "not_canonical",
      "The envelope is not in its RFC 8785 canonical form, so its commitment would not match.",
    );
  }
  if (!isText(envelope.tender)) {
    throw malformed(`tender must be text of 1 to ${MAX_TEXT} characters`);
  }
  parseDocuments(envelope.documents);
  parseShares(envelope.shares);
  const { threshold, shares } = envelope;
  if (!Number.isSafeInteger(threshold) || threshold < 1 || threshold > shares.length) {
    throw new SealingError(
      "bad_threshold",
      `The threshold must be an integer from 1 to the number of shares (${shares.length}).`,
      { shares: String(shares.length) },
    );
  }
  const nonce = b64decode(envelope.nonce, "nonce");
  if (nonce.length !== 12) {
    throw badSize("nonce", "12 bytes", nonce.length);
  }
  const ciphertext = b64decode(envelope.ciphertext, "ciphertext");
  if (ciphertext.length < 16) {
    throw badSize("ciphertext", "at least 16 bytes", ciphertext.length);
  }
  return envelope;
}
