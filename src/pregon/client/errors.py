"""The one error of the client: what went wrong, and what to do next.

Every failure the client reports is a ``ClientError`` with a stable ``code`` (for programs and
tests), a ``message`` and a ``hint`` in the user's language (``pregon.client.i18n``), and, when
the server refused a request, its HTTP ``status`` and problem ``problem_code``.
"""

from __future__ import annotations

from typing import Final

# Codes: the caller must change something (exit code 2 in the command) ...
USAGE: Final = "usage"  # a bad argument, an unreadable file, a wrong passphrase
REFUSED: Final = "refused"  # the server refused the request (4xx): its reason is the message
KEY_REUSED: Final = "key_reused"  # an idempotency key already used for another bid
# ... or something outside the caller's hands failed (exit code 1).
UNREACHABLE: Final = "unreachable"  # no answer after every retry
SERVER_ERROR: Final = "server_error"  # 5xx after every retry
BAD_ANSWER: Final = "bad_answer"  # the server answered something that is not the contract's
NOT_LOGGED: Final = "not_logged"  # the committee's release is not (yet) in a signed checkpoint
COMMITTEE_MISMATCH: Final = "committee_mismatch"  # the committee served != the logged one
LOG_INVALID: Final = "log_invalid"  # the log's checkpoint does not verify with its key
RECEIPT_INVALID: Final = "receipt_invalid"  # bad signature, or fields that do not match
COMMITMENT_MISMATCH: Final = "commitment_mismatch"  # the server acknowledged other bytes
PROOF_INVALID: Final = "proof_invalid"  # an inclusion proof that does not verify

USER_ERRORS: Final = frozenset({USAGE, REFUSED, KEY_REUSED})


class ClientError(Exception):
    """A failure of the client, phrased for the person running it."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        hint: str = "",
        status: int | None = None,
        problem_code: str = "",
    ) -> None:
        """``message`` says what happened, ``hint`` what to do next (both already translated)."""
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint
        self.status = status
        self.problem_code = problem_code

    @property
    def user_error(self) -> bool:
        """True when the caller can fix it (the command exits with 2), False otherwise (1)."""
        return self.code in USER_ERRORS

    def __str__(self) -> str:
        """The message, then the hint on its own line."""
        return f"{self.message}\n{self.hint}" if self.hint else self.message
