// Committee members' X25519 keys and the passphrase-protected key file "pregon-committee-key/1":
// scrypt (@noble/hashes) of the NFC passphrase derives an AES-256-GCM key that wraps the 32 raw
// private key bytes, with "pregon-committee-key/1" + fingerprint as additional data.

import { scryptAsync } from "@noble/hashes/scrypt.js";
import { SealingError } from "./errors.js";
import {
  asBytes,
  b64decode,
  b64encode,
  bytesEqual,
  concatBytes,
  isHex,
  jcsBytes,
  parseJson,
  utf8,
} from "./format.js";
import { x25519Generate, x25519PublicKey } from "./hpke.js";
import { aesGcmDecrypt, aesGcmEncrypt, randomBytes, sha256Hex } from "./primitives.js";

export const KEY_FORMAT = "pregon-committee-key/1";
export const SCRYPT_N = 2 ** 17;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const SCRYPT_N_MIN = 2 ** 10;
const SCRYPT_N_MAX = 2 ** 20;
const KEY_FILE_FIELDS = "ciphertext,fingerprint,format,kdf,nonce,publicKey";
const KDF_FIELDS = "N,name,p,r,salt";

// A fresh key pair, {privateKey, publicKey}, 32 raw bytes each.
export async function generateMemberKey() {
  return x25519Generate();
}

// SHA-256 of the raw public key, lowercase hex.
export function fingerprint(publicKey) {
  const bytes = asBytes(publicKey, "publicKey");
  if (bytes.length !== 32) {
    throw new SealingError("bad_public_key", "a public key must be 32 raw X25519 bytes");
  }
  return sha256Hex(bytes);
}

// scrypt's cost: a power of two from 2**10 (tests) to 2**20 (1 GiB of memory at r = 8).
function validN(n) {
  return Number.isSafeInteger(n) && n >= SCRYPT_N_MIN && n <= SCRYPT_N_MAX && (n & (n - 1)) === 0;
}

function wrappingKey(passphrase, salt, n, onProgress) {
  if (typeof passphrase !== "string") {
    throw new SealingError("invalid_input", "the passphrase must be a string");
  }
  const options = { N: n, r: SCRYPT_R, p: SCRYPT_P, dkLen: 32 };
  if (onProgress) {
    options.onProgress = onProgress;
  }
  return scryptAsync(utf8(passphrase.normalize("NFC")), salt, options);
}

function aad(fingerprintHex) {
  return utf8(KEY_FORMAT + fingerprintHex);
}

// The key file's bytes: the JCS of its one JSON object and a newline, as Python writes it.
// `n` is scrypt's cost (2**17 by default: about a second and 128 MiB); `onProgress(fraction)`
// reports the key derivation.
export async function keyfileWrite(privateKey, passphrase, { n = SCRYPT_N, onProgress } = {}) {
  const secret = asBytes(privateKey, "privateKey");
  if (!validN(n)) {
    throw new SealingError(
      "invalid_input",
      `scrypt N must be a power of two from 2**10 to 2**20, not ${n}`,
    );
  }
  if (typeof passphrase !== "string" || passphrase.length === 0) {
    throw new SealingError("invalid_input", "the passphrase must be a non-empty string");
  }
  const publicKey = await x25519PublicKey(secret);
  const print = fingerprint(publicKey);
  const salt = randomBytes(16);
  const nonce = randomBytes(12);
  const key = await wrappingKey(passphrase, salt, n, onProgress);
  const ciphertext = await aesGcmEncrypt(key, nonce, secret, aad(print));
  const file = {
    format: KEY_FORMAT,
    publicKey: b64encode(publicKey),
    fingerprint: print,
    kdf: { name: "scrypt", N: n, r: SCRYPT_R, p: SCRYPT_P, salt: b64encode(salt) },
    nonce: b64encode(nonce),
    ciphertext: b64encode(ciphertext),
  };
  return concatBytes(jcsBytes(file), utf8("\n"));
}

function malformed(reason) {
  return new SealingError(
    "malformed_key_file",
    `This is not a valid committee key file: ${reason}.`,
    { reason },
  );
}

function hasFields(object, fields) {
  return (
    object !== null &&
    typeof object === "object" &&
    !Array.isArray(object) &&
    Object.keys(object).sort().join(",") === fields
  );
}

function field(object, name, length) {
  const bytes = b64decode(object[name], name);
  if (bytes.length !== length) {
    throw malformed(`${name} must hold ${length} bytes, not ${bytes.length}`);
  }
  return bytes;
}

// Reads a key file (bytes or text) -> {privateKey, publicKey, fingerprint}. Throws SealingError:
// "wrong_passphrase" (the passphrase does not open it; a file altered after it was written reads
// the same way), "malformed_key_file", "unknown_format" or "bad_base64".
export async function keyfileRead(data, passphrase, { onProgress } = {}) {
  let file;
  try {
    file = parseJson(typeof data === "string" ? data : asBytes(data, "key file"));
  } catch (error) {
    throw malformed("it is not JSON");
  }
  if (file === null || typeof file !== "object" || Array.isArray(file)) {
    throw malformed("it is not a JSON object");
  }
  if ("format" in file && file.format !== KEY_FORMAT) {
    throw new SealingError(
      "unknown_format",
      `This is not a committee key file of a known format (expected ${KEY_FORMAT}).`,
      {
        format: String(file.format).slice(0, 100),
      },
    );
  }
  if (!hasFields(file, KEY_FILE_FIELDS)) {
    throw malformed(`its members must be exactly ${KEY_FILE_FIELDS}`);
  }
  const publicKey = field(file, "publicKey", 32);
  if (!isHex(file.fingerprint, 64) || fingerprint(publicKey) !== file.fingerprint) {
    throw malformed("its fingerprint is not the SHA-256 of its public key");
  }
  const { kdf } = file;
  if (!hasFields(kdf, KDF_FIELDS) || kdf.name !== "scrypt") {
    throw malformed('"kdf" must be {"name": "scrypt", "N", "r", "p", "salt"}');
  }
  if (!validN(kdf.N) || kdf.r !== SCRYPT_R || kdf.p !== SCRYPT_P) {
    throw malformed("scrypt N must be a power of two from 2^10 to 2^20, r 8 and p 1");
  }
  const salt = field(kdf, "salt", 16);
  const nonce = field(file, "nonce", 12);
  const ciphertext = field(file, "ciphertext", 48);
  const key = await wrappingKey(passphrase, salt, kdf.N, onProgress);
  const privateKey = await aesGcmDecrypt(key, nonce, ciphertext, aad(file.fingerprint));
  if (privateKey === null) {
    throw new SealingError("wrong_passphrase", "This passphrase does not open the key file.");
  }
  if (!bytesEqual(await x25519PublicKey(privateKey), publicKey)) {
    throw malformed("its private key does not belong to its public key");
  }
  return { privateKey, publicKey, fingerprint: file.fingerprint };
}
