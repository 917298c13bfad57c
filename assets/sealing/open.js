// A committee member's side of the opening: decrypting, on their own device, their share of each
// envelope, which they then hand in. Same checks and codes as pregon.sealing's share_decrypt.

import { SealingError } from "./errors.js";
import { parseEnvelope, SHARE_SIZE } from "./envelope.js";
import { asBytes, b64decode } from "./format.js";
import { hpkeOpen, x25519PublicKey } from "./hpke.js";
import { fingerprint as fingerprintOf } from "./keys.js";
import { sha256Hex } from "./primitives.js";
import { shareInfo } from "./seal.js";

// shareDecrypt(envelope bytes, ocid, private key (32 bytes), the key's fingerprint)
//   -> the member's plaintext share (33 bytes), checked against the envelope's SHA-256 for it.
// Throws SealingError: wrong_tender, wrong_key (the private key is not the fingerprint's),
// not_a_member, share_undecryptable (altered, or sealed to another key), wrong_share (it opens
// but is not what the envelope's hash says: the bidder sealed it wrongly), or a parse error.
export async function shareDecrypt(envelopeData, ocid, privateKey, fingerprint) {
  const envelope = parseEnvelope(envelopeData);
  const secret = asBytes(privateKey, "privateKey");
  if (envelope.tender !== ocid) {
    throw new SealingError(
      "wrong_tender",
      `This envelope was sealed for tender ${envelope.tender}, not ${ocid}.`,
      {
        tender: envelope.tender,
      },
    );
  }
  const own = fingerprintOf(await x25519PublicKey(secret));
  if (own !== fingerprint) {
    throw new SealingError(
      "wrong_key",
      `This private key is not the key with fingerprint ${fingerprint}.`,
      {
        member: String(fingerprint),
      },
    );
  }
  const entry = envelope.shares.find((share) => share.member === fingerprint);
  if (entry === undefined) {
    throw new SealingError(
      "not_a_member",
      `The envelope holds no share for the member with fingerprint ${fingerprint}.`,
      {
        member: fingerprint,
      },
    );
  }
  const share = await hpkeOpen(
    secret,
    shareInfo(ocid, fingerprint),
    b64decode(entry.share, "share"),
  );
  if (share === null) {
    throw new SealingError(
      "share_undecryptable",
      `The share sealed to member ${fingerprint} does not open with their key: ` +
        "the envelope was altered or sealed to another key.",
      { member: fingerprint },
    );
  }
  if (share.length !== SHARE_SIZE || sha256Hex(share) !== entry.sha256) {
    throw new SealingError(
      "wrong_share",
      `The share for member ${fingerprint} is not the share sealed to them in this bid.`,
      {
        member: fingerprint,
      },
    );
  }
  return share;
}
