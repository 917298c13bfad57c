// The one error the sealing code throws on bad input, a wrong key or altered bytes. `code` is a
// stable word the page maps to a translated message, the same codes as pregon.sealing.errors
// (malformed_envelope, unknown_format, not_canonical, too_large, bad_base64, bad_size,
// bad_threshold, duplicate_member, duplicate_document, malformed_key_file, wrong_passphrase,
// bad_public_key, bad_member_key, wrong_key, wrong_tender, not_a_member, share_undecryptable,
// wrong_share, malformed_bid), plus two of the browser's own: invalid_input (an argument of the
// wrong type, a programming error) and no_webcrypto (a page served without a secure context).
// `details` holds the named values a message may show (member fingerprint, document id, field);
// `message` is plain English for logs and developers.

export class SealingError extends Error {
  constructor(code, message, details = {}) {
    super(message);
    this.name = "SealingError";
    this.code = code;
    this.details = Object.freeze({ ...details });
  }
}
