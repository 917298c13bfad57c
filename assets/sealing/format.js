// Byte formats shared with the Python side: RFC 8785 JCS of our plain objects, base64url without
// padding, lowercase hex, UTF-8.

import { SealingError } from "./errors.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });
// With the u flag a surrogate half only matches when it is not part of a pair.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export function utf8(text) {
  return encoder.encode(text);
}

export function utf8Decode(bytes) {
  try {
    return decoder.decode(bytes);
  } catch (error) {
    throw new SealingError("invalid_json", "the bytes are not valid UTF-8");
  }
}

function canonicalString(text) {
  if (LONE_SURROGATE.test(text)) {
    throw new SealingError("invalid_json", "a string holds a lone surrogate");
  }
  return JSON.stringify(text);
}

// JCS (RFC 8785) of a value made of strings, safe integers, booleans, null, arrays and plain
// objects. For these, JSON.stringify's escaping and number form ARE the JCS rules, and JCS sorts
// keys by UTF-16 code units, which is what Array.prototype.sort does by default. Anything else
// (fractions, undefined, Dates, typed arrays) is refused rather than guessed at.
export function canonicalJson(value) {
  if (value === null || value === true || value === false) {
    return String(value);
  }
  if (typeof value === "string") {
    return canonicalString(value);
  }
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) {
      throw new SealingError("invalid_json", `${value} is not a safe integer`);
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(",")}]`;
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${canonicalString(key)}:${canonicalJson(value[key])}`).join(",")}}`;
  }
  throw new SealingError("invalid_json", `${typeof value} is not a JSON value`);
}

export function jcsBytes(value) {
  return utf8(canonicalJson(value));
}

// JSON.parse of UTF-8 bytes (or a string); JSON objects come back as plain objects.
export function parseJson(data) {
  const text = typeof data === "string" ? data : utf8Decode(data);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SealingError("invalid_json", "not a JSON text");
  }
}

const B64URL = /^[A-Za-z0-9_-]*$/;

export function b64encode(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

// Strict: the base64url alphabet, no padding, and no stray bits, so each byte string has exactly
// one text form (the one b64encode writes).
export function b64decode(text, field = "value") {
  if (typeof text !== "string" || !B64URL.test(text) || text.length % 4 === 1) {
    throw new SealingError("bad_base64", `${field} is not base64url without padding`, { field });
  }
  const padded =
    text.replace(/-/g, "+").replace(/_/g, "/") + "==".slice(0, (4 - (text.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) {
    bytes[i] = binary.charCodeAt(i);
  }
  if (b64encode(bytes) !== text) {
    throw new SealingError("bad_base64", `${field} is not canonical base64url (stray bits)`, {
      field,
    });
  }
  return bytes;
}

export function hex(bytes) {
  let text = "";
  for (const byte of bytes) {
    text += byte.toString(16).padStart(2, "0");
  }
  return text;
}

export function isHex(text, length) {
  return typeof text === "string" && text.length === length && /^[0-9a-f]*$/.test(text);
}

export function concatBytes(...parts) {
  const result = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}

export function bytesEqual(a, b) {
  if (a.length !== b.length) {
    return false;
  }
  let difference = 0;
  for (let i = 0; i < a.length; i += 1) {
    difference |= a[i] ^ b[i];
  }
  return difference === 0;
}

// A Uint8Array of the caller's bytes (ArrayBuffer, any typed-array view, a Node Buffer), because
// the libraries check for Uint8Array itself.
export function asBytes(data, what) {
  if (data instanceof Uint8Array && data.constructor === Uint8Array) {
    return data;
  }
  if (ArrayBuffer.isView(data)) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  if (data instanceof ArrayBuffer) {
    return new Uint8Array(data);
  }
  throw new SealingError("invalid_input", `${what} must be bytes`);
}
