// HPKE (RFC 9180) in base mode with DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and AES-256-GCM,
// single shot: the sealed bytes are enc (32 bytes) || ciphertext, as Python's
// cryptography.hazmat.primitives.hpke writes them. X25519 comes from @hpke/dhkem-x25519 (its own
// audited code, so every browser runs the same path whether or not its WebCrypto has X25519);
// HKDF and AES-GCM run on WebCrypto through @hpke/core.

import { Aes256Gcm, CipherSuite, HkdfSha256 } from "@hpke/core";
import { DhkemX25519HkdfSha256, HkdfSha256 as KemHkdfSha256, X25519 } from "@hpke/dhkem-x25519";
import { SealingError } from "./errors.js";
import { concatBytes } from "./format.js";

export const ENC_SIZE = 32;

let cachedSuite = null;

export function hpkeSuite() {
  if (cachedSuite === null) {
    cachedSuite = new CipherSuite({
      kem: new DhkemX25519HkdfSha256(),
      kdf: new HkdfSha256(),
      aead: new Aes256Gcm(),
    });
  }
  return cachedSuite;
}

const x25519 = new X25519(new KemHkdfSha256());

export async function x25519Generate() {
  const suite = hpkeSuite();
  const pair = await suite.kem.generateKeyPair();
  return {
    privateKey: new Uint8Array(await suite.kem.serializePrivateKey(pair.privateKey)),
    publicKey: new Uint8Array(await suite.kem.serializePublicKey(pair.publicKey)),
  };
}

export async function x25519PublicKey(privateKey) {
  if (privateKey.length !== 32) {
    throw new SealingError("wrong_key", "a private key must be 32 raw X25519 bytes");
  }
  const key = await hpkeSuite().kem.importKey("raw", privateKey, false);
  const publicKey = await x25519.derivePublicKey(key);
  return new Uint8Array(await hpkeSuite().kem.serializePublicKey(publicKey));
}

export async function hpkeSeal(publicKey, info, plaintext, aad = new Uint8Array(0)) {
  if (publicKey.length !== 32) {
    throw new SealingError("bad_public_key", "a public key must be 32 raw X25519 bytes");
  }
  const suite = hpkeSuite();
  const recipientPublicKey = await suite.kem.importKey("raw", publicKey, true);
  const { ct, enc } = await suite.seal({ recipientPublicKey, info }, plaintext, aad);
  return concatBytes(new Uint8Array(enc), new Uint8Array(ct));
}

// Returns null when the bytes do not open with this key and info (the AEAD tag fails), and
// throws SealingError for a malformed key or input.
export async function hpkeOpen(privateKey, info, sealed, aad = new Uint8Array(0)) {
  if (privateKey.length !== 32) {
    throw new SealingError("wrong_key", "a private key must be 32 raw X25519 bytes");
  }
  if (sealed.length < ENC_SIZE + 16) {
    return null;
  }
  const suite = hpkeSuite();
  const recipientKey = await suite.kem.importKey("raw", privateKey, false);
  try {
    return new Uint8Array(
      await suite.open(
        { recipientKey, enc: sealed.slice(0, ENC_SIZE), info },
        sealed.slice(ENC_SIZE),
        aad,
      ),
    );
  } catch (error) {
    return null;
  }
}
