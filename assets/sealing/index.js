// The browser API of sealed bids, as window.PregonSealing (globalThis is window in a page, and
// the same global in Node, where the tests load the bundle). Formats: docs/sealed-bids.md.
// Byte strings are Uint8Arrays; every function that takes time returns a Promise; every refusal
// is a SealingError with a `code` (see errors.js) and `details`.
//
//   generateMemberKey() -> {privateKey, publicKey}           fingerprint(publicKey) -> hex
//   keyfileWrite(privateKey, passphrase, {n, onProgress}) -> key file bytes
//   keyfileRead(bytes, passphrase, {onProgress}) -> {privateKey, publicKey, fingerprint}
//   sealBid({ocid, members: [{fingerprint, publicKey (bytes or b64)}], threshold,
//            bid: {lots: [{lot, amount, currency}], answers: [{question, answer}]},
//            documents: [{id, name, mediaType, bytes}]})
//     -> {envelope: bytes, commitment: hex, documents: [{id, stored: bytes}]}
//   parseEnvelope(bytes) -> the envelope object
//   shareDecrypt(envelope bytes, ocid, privateKey, fingerprint) -> 33-byte share
//   hpkeSeal / hpkeOpen (the suite, single shot), sha256Hex, canonicalJson, jcsBytes,
//   b64encode / b64decode (base64url without padding), hex.

import { parseEnvelope } from "./envelope.js";
import { SealingError } from "./errors.js";
import { b64decode, b64encode, canonicalJson, hex, jcsBytes } from "./format.js";
import { hpkeOpen, hpkeSeal } from "./hpke.js";
import { fingerprint, generateMemberKey, keyfileRead, keyfileWrite } from "./keys.js";
import { shareDecrypt } from "./open.js";
import { sha256Hex } from "./primitives.js";
import { sealBid } from "./seal.js";

globalThis.PregonSealing = Object.freeze({
  SealingError,
  generateMemberKey,
  fingerprint,
  keyfileWrite,
  keyfileRead,
  sealBid,
  parseEnvelope,
  shareDecrypt,
  hpkeSeal,
  hpkeOpen,
  sha256Hex,
  canonicalJson,
  jcsBytes,
  b64encode,
  b64decode,
  hex,
});
