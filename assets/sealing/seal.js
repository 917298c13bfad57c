// Sealing a bid on the bidder's device: the plain bid "pregon-bid/1" and each document under a
// fresh AES-256-GCM data key, the data key split into one Shamir share per committee member, each
// share sealed to its member with HPKE, all of it in the envelope "pregon-sealed-bid/1".

import { SealingError } from "./errors.js";
import {
  BID_FORMAT,
  DOCUMENT_ID,
  ENVELOPE_FORMAT,
  MAX_ENVELOPE_BYTES,
  MAX_MEMBERS,
  MAX_TEXT,
  isText,
  textLength,
} from "./envelope.js";
import { asBytes, b64decode, b64encode, concatBytes, isHex, jcsBytes, utf8 } from "./format.js";
import { hpkeSeal } from "./hpke.js";
import { fingerprint } from "./keys.js";
import { aesGcmEncrypt, randomBytes, sha256Hex } from "./primitives.js";
import { shamirSplit } from "./shamir.js";

// The rules of pregon.sealing's plain-bid check, so that every bid sealed here opens there.
const AMOUNT = /^(0|[1-9][0-9]{0,29})(\.[0-9]{1,10})?$/;
const CURRENCY = /^[A-Z]{3}$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

function malformedBid(reason) {
  return new SealingError("malformed_bid", `The plain bid is not valid: ${reason}.`, { reason });
}

function isPlainObject(value) {
  return (
    value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype
  );
}

function text(value, name) {
  if (!isText(value)) {
    throw malformedBid(`${name} must be text of 1 to ${MAX_TEXT} characters`);
  }
  return value;
}

// The info string binds a sealed share to its tender and member, and HPKE can only give it to
// that member's key.
export function shareInfo(ocid, memberFingerprint) {
  return utf8(`pregon-share/1\n${ocid}\n${memberFingerprint}`);
}

export function documentAad(ocid, documentId) {
  return utf8(`${ocid}\n${documentId}`);
}

function checkOcid(ocid) {
  text(ocid, "tender");
  if (CONTROL.test(ocid)) {
    throw malformedBid("the tender's ocid holds a control character");
  }
}

function badThreshold(message, count) {
  return new SealingError("bad_threshold", message, { shares: String(count) });
}

// The committee as published (position order): each member's fingerprint must be the SHA-256 of
// its public key, so a bidder encrypts to exactly the keys the log holds.
function checkCommittee(members, threshold) {
  if (!Array.isArray(members) || members.length === 0 || members.length > MAX_MEMBERS) {
    const count = Array.isArray(members) ? members.length : 0;
    throw badThreshold(`A committee has 1 to ${MAX_MEMBERS} members, not ${count}.`, count);
  }
  if (!Number.isSafeInteger(threshold) || threshold < 1 || threshold > members.length) {
    throw badThreshold(
      `The threshold must be an integer from 1 to the number of members (${members.length}).`,
      members.length,
    );
  }
  const seen = new Set();
  return members.map((member) => {
    if (!isPlainObject(member) || !isHex(member.fingerprint, 64)) {
      throw new SealingError(
        "invalid_input",
        "each member is {fingerprint: 64 lowercase hex digits, publicKey}",
      );
    }
    const publicKey =
      typeof member.publicKey === "string"
        ? b64decode(member.publicKey, "publicKey")
        : asBytes(member.publicKey, "publicKey");
    if (fingerprint(publicKey) !== member.fingerprint) {
      throw new SealingError(
        "bad_member_key",
        `The public key given for member ${member.fingerprint} does not match its fingerprint.`,
        { member: member.fingerprint },
      );
    }
    if (seen.has(member.fingerprint)) {
      throw new SealingError(
        "duplicate_member",
        `Member ${member.fingerprint} is named twice in the committee.`,
        {
          member: member.fingerprint,
        },
      );
    }
    seen.add(member.fingerprint);
    return { fingerprint: member.fingerprint, publicKey };
  });
}

function checkLots(lots) {
  if (!Array.isArray(lots) || lots.length === 0) {
    throw malformedBid("it offers no lot");
  }
  const seen = new Set();
  return lots.map((entry) => {
    if (!isPlainObject(entry)) {
      throw malformedBid('"lots" must be a list of {lot, amount, currency}');
    }
    const lot = text(entry.lot, "lot");
    if (typeof entry.amount !== "string" || !AMOUNT.test(entry.amount)) {
      throw malformedBid('an "amount" must be a decimal string such as "1250.50"');
    }
    if (typeof entry.currency !== "string" || !CURRENCY.test(entry.currency)) {
      throw malformedBid('a "currency" must be an ISO 4217 code such as "USD"');
    }
    if (seen.has(lot)) {
      throw malformedBid("it offers one lot twice");
    }
    seen.add(lot);
    return { lot, amount: entry.amount, currency: entry.currency };
  });
}

function checkAnswers(answers) {
  if (!Array.isArray(answers)) {
    throw malformedBid('"answers" must be a list of {question, answer}');
  }
  const seen = new Set();
  return answers.map((entry) => {
    if (!isPlainObject(entry)) {
      throw malformedBid('"answers" must be a list of {question, answer}');
    }
    const question = text(entry.question, "question");
    if (typeof entry.answer !== "string" || textLength(entry.answer) > MAX_TEXT) {
      throw malformedBid(`an answer must be text of at most ${MAX_TEXT} characters`);
    }
    if (seen.has(question)) {
      throw malformedBid("it answers one question twice");
    }
    seen.add(question);
    return { question, answer: entry.answer };
  });
}

function checkDocuments(documents) {
  if (!Array.isArray(documents)) {
    throw malformedBid('"documents" must be a list of {id, name, mediaType, bytes}');
  }
  const seen = new Set();
  return documents.map((document) => {
    if (!isPlainObject(document)) {
      throw malformedBid('"documents" must be a list of {id, name, mediaType, bytes}');
    }
    if (typeof document.id !== "string" || !DOCUMENT_ID.test(document.id)) {
      throw malformedBid("a document id must be 1 to 64 of A-Z a-z 0-9 _ -");
    }
    if (seen.has(document.id)) {
      throw malformedBid("it lists one document twice");
    }
    seen.add(document.id);
    return {
      id: document.id,
      name: text(document.name, "document name"),
      mediaType: text(document.mediaType, "document media type"),
      bytes: asBytes(document.bytes, "document bytes"),
    };
  });
}

async function aesSeal(key, plaintext, aad) {
  const nonce = randomBytes(12);
  return { nonce, ciphertext: await aesGcmEncrypt(key, nonce, plaintext, aad) };
}

// sealBid({ocid, members: [{fingerprint, publicKey}], threshold, bid: {lots, answers},
//          documents: [{id, name, mediaType, bytes}]})
//   -> {envelope: Uint8Array (JCS bytes, uploaded as they are), commitment: hex,
//       documents: [{id, stored: Uint8Array (nonce || ciphertext || tag)}]}
export async function sealBid({ ocid, members, threshold, bid, documents = [] }) {
  checkOcid(ocid);
  const committee = checkCommittee(members, threshold);
  if (!isPlainObject(bid) || Object.keys(bid).some((key) => key !== "lots" && key !== "answers")) {
    throw malformedBid("the bid given to seal is {lots, answers}");
  }
  const lots = checkLots(bid.lots);
  const answers = checkAnswers(bid.answers === undefined ? [] : bid.answers);
  const files = checkDocuments(documents);

  const dataKey = randomBytes(32);
  const stored = [];
  for (const file of files) {
    const sealed = await aesSeal(dataKey, file.bytes, documentAad(ocid, file.id));
    stored.push({ id: file.id, stored: concatBytes(sealed.nonce, sealed.ciphertext) });
  }
  let plain;
  try {
    plain = jcsBytes({
      format: BID_FORMAT,
      tender: ocid,
      lots,
      answers,
      documents: files.map((file) => ({
        id: file.id,
        name: file.name,
        mediaType: file.mediaType,
        size: file.bytes.length,
      })),
    });
  } catch (error) {
    throw malformedBid("it holds text that is not valid Unicode");
  }
  const body = await aesSeal(dataKey, plain, utf8(ocid));
  const shares = await shamirSplit(dataKey, committee.length, threshold);
  const sealedShares = [];
  for (let i = 0; i < committee.length; i += 1) {
    const member = committee[i];
    const sealed = await hpkeSeal(member.publicKey, shareInfo(ocid, member.fingerprint), shares[i]);
    sealedShares.push({
      member: member.fingerprint,
      share: b64encode(sealed),
      sha256: sha256Hex(shares[i]),
    });
    shares[i].fill(0);
  }
  dataKey.fill(0);
  const envelope = jcsBytes({
    format: ENVELOPE_FORMAT,
    tender: ocid,
    threshold,
    nonce: b64encode(body.nonce),
    ciphertext: b64encode(body.ciphertext),
    documents: stored.map((document) => ({
      id: document.id,
      size: document.stored.length,
      sha256: sha256Hex(document.stored),
    })),
    shares: sealedShares,
  });
  if (envelope.length > MAX_ENVELOPE_BYTES) {
    throw new SealingError(
      "too_large",
      `The sealed bid is ${envelope.length} bytes; an envelope holds at most ` +
        `${MAX_ENVELOPE_BYTES}. Move long texts into documents.`,
      { size: String(envelope.length), limit: String(MAX_ENVELOPE_BYTES) },
    );
  }
  return { envelope, commitment: sha256Hex(envelope), documents: stored };
}
