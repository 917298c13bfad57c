// Runs RFC 9180 test vectors (the JSON entries of HPKE/test-vectors.json, given on stdin as a
// list) through the suite assets/sealing/hpke.js configures, and prints what it computed, in
// hex, for the pytest test to compare with the vectors:
// the key pairs derived from ikmR and ikmE, the public key our code derives from skRm, enc and
// every ciphertext sealed in sequence with the vector's ephemeral key, every plaintext opened in
// sequence, the exported secrets, and the first message opened by our single-shot hpkeOpen.
import { readFileSync } from "node:fs";
import { hpkeOpen, hpkeSeal, hpkeSuite, x25519PublicKey } from "../../../assets/sealing/hpke.js";

const fromHex = (text) => new Uint8Array(Buffer.from(text, "hex"));
const toHex = (data) => Buffer.from(new Uint8Array(data)).toString("hex");

async function run(vector) {
  const suite = hpkeSuite();
  const kem = suite.kem;
  const recipient = await kem.deriveKeyPair(fromHex(vector.ikmR));
  const ephemeral = await kem.deriveKeyPair(fromHex(vector.ikmE));
  const info = fromHex(vector.info);
  const recipientPublicKey = await kem.importKey("raw", fromHex(vector.pkRm), true);
  const recipientKey = await kem.importKey("raw", fromHex(vector.skRm), false);
  const sender = await suite.createSenderContext({ recipientPublicKey, info, ekm: ephemeral });
  const sealed = [];
  for (const message of vector.encryptions) {
    sealed.push(toHex(await sender.seal(fromHex(message.pt), fromHex(message.aad))));
  }
  const receiver = await suite.createRecipientContext({
    recipientKey,
    enc: fromHex(vector.enc),
    info,
  });
  const opened = [];
  for (const message of vector.encryptions) {
    opened.push(toHex(await receiver.open(fromHex(message.ct), fromHex(message.aad))));
  }
  const exported = [];
  for (const item of vector.exports) {
    exported.push(toHex(await receiver.export(fromHex(item.exporter_context), item.L)));
  }
  const first = vector.encryptions[0];
  const single = await hpkeOpen(
    fromHex(vector.skRm),
    info,
    new Uint8Array([...fromHex(vector.enc), ...fromHex(first.ct)]),
    fromHex(first.aad),
  );
  const roundTrip = await hpkeOpen(
    fromHex(vector.skRm),
    info,
    await hpkeSeal(fromHex(vector.pkRm), info, fromHex(first.pt), fromHex(first.aad)),
    fromHex(first.aad),
  );
  return {
    skRm: toHex(await kem.serializePrivateKey(recipient.privateKey)),
    pkRm: toHex(await kem.serializePublicKey(recipient.publicKey)),
    skEm: toHex(await kem.serializePrivateKey(ephemeral.privateKey)),
    pkEm: toHex(await kem.serializePublicKey(ephemeral.publicKey)),
    pkFromSkRm: toHex(await x25519PublicKey(fromHex(vector.skRm))),
    enc: toHex(sender.enc),
    sealed,
    opened,
    exported,
    singleShot: single === null ? null : toHex(single),
    roundTrip: roundTrip === null ? null : toHex(roundTrip),
  };
}

const vectors = JSON.parse(readFileSync(0, "utf8"));
const results = [];
for (const vector of vectors) {
  results.push(await run(vector));
}
process.stdout.write(JSON.stringify(results));
