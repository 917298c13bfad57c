// Runs the built browser bundle (src/pregon/bids/static/bids/sealing.js) the way a page does, as a
// classic script, then answers the operations the pytest tests send on stdin as JSON:
//   {"bundle": path, "ops": [{"op": name, ...}]} -> {"results": [...]} on stdout.
// Byte strings travel as base64url without padding; a SealingError comes back as
// {"error": {"code", "message", "details"}} so the tests can assert on it.
import { readFileSync } from "node:fs";
import { runInThisContext } from "node:vm";

const request = JSON.parse(readFileSync(0, "utf8"));
runInThisContext(readFileSync(request.bundle, "utf8"), { filename: request.bundle });
const S = globalThis.PregonSealing;
const bytes = (text) => S.b64decode(text);
const text = (data) => S.b64encode(data);

const OPERATIONS = {
  async generate() {
    const { privateKey, publicKey } = await S.generateMemberKey();
    return {
      privateKey: text(privateKey),
      publicKey: text(publicKey),
      fingerprint: S.fingerprint(publicKey),
    };
  },
  async fingerprint({ publicKey }) {
    return { fingerprint: S.fingerprint(bytes(publicKey)) };
  },
  async keyfileWrite({ privateKey, passphrase, n }) {
    const options = n === null ? {} : { n };
    return { file: text(await S.keyfileWrite(bytes(privateKey), passphrase, options)) };
  },
  async keyfileRead({ file, passphrase }) {
    const key = await S.keyfileRead(bytes(file), passphrase);
    return {
      privateKey: text(key.privateKey),
      publicKey: text(key.publicKey),
      fingerprint: key.fingerprint,
    };
  },
  async seal({ ocid, members, threshold, bid, documents }) {
    const sealed = await S.sealBid({
      ocid,
      members,
      threshold,
      bid,
      documents: documents.map((document) => ({ ...document, bytes: bytes(document.bytes) })),
    });
    return {
      envelope: text(sealed.envelope),
      commitment: sealed.commitment,
      documents: sealed.documents.map((document) => ({
        id: document.id,
        stored: text(document.stored),
      })),
    };
  },
  async shareDecrypt({ envelope, ocid, privateKey, fingerprint }) {
    return {
      share: text(await S.shareDecrypt(bytes(envelope), ocid, bytes(privateKey), fingerprint)),
    };
  },
  async parseEnvelope({ envelope }) {
    return { envelope: S.parseEnvelope(bytes(envelope)) };
  },
  async canonicalJson({ value }) {
    return { text: S.canonicalJson(value) };
  },
  async b64decode({ value }) {
    return { bytes: Array.from(S.b64decode(value)) };
  },
  // RFC 9180 vectors given as the JSON file holds them (hex fields): the first message of each.
  async hpkeOpenVector({ vector }) {
    const fromHex = (value) => new Uint8Array(Buffer.from(value, "hex"));
    const first = vector.encryptions[0];
    const sealed = new Uint8Array([...fromHex(vector.enc), ...fromHex(first.ct)]);
    const plaintext = await S.hpkeOpen(
      fromHex(vector.skRm),
      fromHex(vector.info),
      sealed,
      fromHex(first.aad),
    );
    return { pt: plaintext === null ? null : Buffer.from(plaintext).toString("hex") };
  },
};

const results = [];
for (const { op, ...args } of request.ops) {
  try {
    results.push(await OPERATIONS[op](args));
  } catch (error) {
    if (!(error instanceof S.SealingError)) {
      throw error;
    }
    results.push({ error: { code: error.code, message: error.message, details: error.details } });
  }
}
process.stdout.write(JSON.stringify({ results }));
