// Shamir shares of the data key over GF(256), in shamir-secret-sharing's layout (HashiCorp
// Vault's): each share is the secret's length plus one byte, the x coordinate last.

import { split } from "shamir-secret-sharing";
import { randomBytes } from "./primitives.js";

// Distinct random non-zero x coordinates.
function coordinates(count) {
  const chosen = new Set();
  while (chosen.size < count) {
    for (const x of randomBytes(count)) {
      if (x !== 0 && chosen.size < count) {
        chosen.add(x);
      }
    }
  }
  return [...chosen];
}

// `count` shares of `secret`, any `threshold` of which rebuild it. The library needs at least two
// of each; with a threshold of 1 the polynomial is the constant secret, so every share is the
// secret followed by its own x coordinate, which any Lagrange combine (one share or more) reads
// back as the secret.
export async function shamirSplit(secret, count, threshold) {
  if (threshold >= 2) {
    return split(secret, count, threshold);
  }
  return coordinates(count).map((x) => {
    const share = new Uint8Array(secret.length + 1);
    share.set(secret);
    share[secret.length] = x;
    return share;
  });
}
