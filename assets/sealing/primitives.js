// The primitives every part uses: random bytes and AES-256-GCM from WebCrypto (globalThis.crypto,
// the same object in browsers and Node), SHA-256 from @noble/hashes.

import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { SealingError } from "./errors.js";
import { hex } from "./format.js";

function subtle() {
  const api = globalThis.crypto && globalThis.crypto.subtle;
  if (!api) {
    // WebCrypto exists only in secure contexts (https, or http://localhost).
    throw new SealingError(
      "no_webcrypto",
      "this browser offers no WebCrypto (is the page served over https?)",
    );
  }
  return api;
}

export function randomBytes(length) {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

export function sha256(bytes) {
  return nobleSha256(bytes);
}

export function sha256Hex(bytes) {
  return hex(nobleSha256(bytes));
}

async function aesKey(key, usage) {
  if (key.length !== 32) {
    throw new SealingError("invalid_input", "an AES-256 key is 32 bytes");
  }
  return subtle().importKey("raw", key, { name: "AES-GCM" }, false, [usage]);
}

// AES-256-GCM with a 16-byte tag appended to the ciphertext (the layout of Python's AESGCM).
export async function aesGcmEncrypt(key, nonce, plaintext, aad) {
  const cryptoKey = await aesKey(key, "encrypt");
  const params = { name: "AES-GCM", iv: nonce, additionalData: aad, tagLength: 128 };
  return new Uint8Array(await subtle().encrypt(params, cryptoKey, plaintext));
}

// Returns null when the tag does not verify (wrong key, altered bytes or another aad).
export async function aesGcmDecrypt(key, nonce, ciphertext, aad) {
  const cryptoKey = await aesKey(key, "decrypt");
  const params = { name: "AES-GCM", iv: nonce, additionalData: aad, tagLength: 128 };
  try {
    return new Uint8Array(await subtle().decrypt(params, cryptoKey, ciphertext));
  } catch (error) {
    return null;
  }
}
