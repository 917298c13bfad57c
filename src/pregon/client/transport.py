"""HTTP to a Pregón instance with the standard library: retries, backoff and problem details.

A request marked ``retry`` is sent again, after a growing pause, when the connection fails or
the server answers 5xx or 429 (honouring ``Retry-After``). Only requests that are safe to repeat
are marked: reads, and writes that carry an idempotency key. Everything else fails at once and
is left to the caller, who knows how to resume (an upload asks where it stands).
"""

from __future__ import annotations

import email.utils
import http.client
import http.cookiejar
import json
import random
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, NoReturn

from pregon.client import errors
from pregon.client.errors import ClientError
from pregon.client.i18n import _, active_language

USER_AGENT: Final = "pregon-client/1"
DEFAULT_TIMEOUT: Final = 30.0
DEFAULT_RETRIES: Final = 5
DEFAULT_BACKOFF: Final = 0.5
MAX_PAUSE: Final = 30.0
# An answer of the API is small (an envelope is at most 1 MB, base64 grows it by a third).
MAX_BODY: Final = 16 << 20
#: Django's CSRF cookie: a signed-in session sends it back in ``X-CSRFToken`` to write.
CSRF_COOKIE: Final = "csrftoken"
_ACCEPT_LANGUAGE = {"en": "en", "es": "es", "fr": "fr", "pt-br": "pt-BR"}


@dataclass(frozen=True, slots=True)
class Answer:
    """A response: its status, headers and body."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> dict[str, Any]:
        """The body as a JSON object, or a ``ClientError`` saying the server broke the contract."""
        try:
            value = json.loads(self.body)
        except ValueError:
            value = None
        if not isinstance(value, dict):
            raise ClientError(
                errors.BAD_ANSWER,
                _("The server answered something that is not a JSON object."),
                hint=_(
                    "Check the address: it must be the Pregón instance's, like https://example.org."
                ),
                status=self.status,
            )
        return value


class Transient(Exception):
    """A failure worth retrying: no answer, or a 5xx or 429 answer."""

    def __init__(self, error: ClientError, pause: float | None = None) -> None:
        """``pause`` is the server's ``Retry-After``, when it gave one."""
        super().__init__(str(error))
        self.error = error
        self.pause = pause


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Leave redirects to the caller (an API call never expects one; signing in reads them)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def instance_url(url: str) -> str:
    """The instance's base address (scheme, host, path without a final slash)."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ClientError(
            errors.USAGE,
            _("%(url)s is not an http(s) address.") % {"url": repr(url)},
            hint=_("Give the instance's address, like https://example.org."),
        )
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def quoted(segment: str) -> str:
    """One path segment, percent-encoded (an ocid or an id never adds a level to the path)."""
    return urllib.parse.quote(segment, safe="")


class Transport:
    """Requests to one instance, as one API key, with retries for what may be repeated."""

    def __init__(
        self,
        base_url: str,
        api_key: str | None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        backoff: float = DEFAULT_BACKOFF,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """``retries`` is how many times a failed request is sent again (0: never)."""
        self.base_url = instance_url(base_url)
        self.api_key = api_key
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.sleep = sleep
        self.requests = 0
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def cookie(self, name: str) -> str | None:
        """The value of a cookie the instance set (a signed-in session's), if any."""
        return next((cookie.value for cookie in self.cookies if cookie.name == name), None)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        json_body: Any = None,
        form: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        query: Mapping[str, str] | None = None,
        retry: bool = False,
    ) -> Answer:
        """Send one request (again after a pause while it is transient and ``retry`` allows).

        A refusal (4xx other than 429) raises ``ClientError`` ``refused`` with the server's
        reason; a transient failure past the last retry raises ``unreachable`` or
        ``server_error``.
        """
        attempt = 0
        while True:
            try:
                return self.once(
                    method,
                    path,
                    body=body,
                    json_body=json_body,
                    form=form,
                    headers=headers,
                    query=query,
                )
            except Transient as failure:
                if not retry or attempt >= self.retries:
                    raise failure.error from None
                self.pause(attempt, failure.pause)
                attempt += 1

    def pause(self, attempt: int, asked: float | None = None) -> None:
        """Wait before retry number ``attempt`` + 1: exponential with jitter, or as asked."""
        if asked is not None:
            delay = min(asked, MAX_PAUSE)
        else:
            delay = min(self.backoff * 2**attempt, MAX_PAUSE) * random.uniform(0.5, 1.0)  # noqa: S311
        self.sleep(delay)

    def once(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        json_body: Any = None,
        form: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        query: Mapping[str, str] | None = None,
    ) -> Answer:
        """Send one request; raise ``Transient`` for what a retry may cure.

        Redirects are not followed: a 3xx is answered as it is (signing in reads them).
        """
        url = self.url(path, query)
        sent = dict(headers or {})
        if json_body is not None:
            body = json.dumps(json_body, separators=(",", ":")).encode()
            sent.setdefault("Content-Type", "application/json")
        elif form is not None:
            body = urllib.parse.urlencode(form).encode()
            sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
        csrf = self.cookie(CSRF_COOKIE)
        if csrf and method not in {"GET", "HEAD"}:
            # A signed-in session writes with its CSRF token, from a page of the same site.
            sent.setdefault("X-CSRFToken", csrf)
            sent.setdefault("Referer", self.base_url + "/")
        sent.setdefault("Accept", "application/json")
        sent["User-Agent"] = USER_AGENT
        sent["Accept-Language"] = _ACCEPT_LANGUAGE.get(active_language(), "en")
        if self.api_key:
            sent["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(  # noqa: S310  (the scheme was checked: http or https)
            url, data=body, headers=sent, method=method
        )
        self.requests += 1
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                data: bytes = response.read(MAX_BODY + 1)
                status, answered = response.status, dict(response.headers.items())
        except urllib.error.HTTPError as error:
            with error:
                if 300 <= error.code < 400:
                    return Answer(error.code, dict(error.headers.items()), error.read(MAX_BODY))
                self._refusal(url, error)
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            reason = getattr(error, "reason", error)
            raise Transient(
                ClientError(
                    errors.UNREACHABLE,
                    _("Cannot reach %(url)s: %(reason)s.") % {"url": url, "reason": reason},
                    hint=_(
                        "Check the address and your connection, then run the same command "
                        "again: what already arrived is not sent twice."
                    ),
                )
            ) from error
        if len(data) > MAX_BODY:
            raise ClientError(
                errors.BAD_ANSWER,
                _("The answer from %(url)s is too large.") % {"url": url},
                hint=_(
                    "Check the address: it must be the Pregón instance's, like https://example.org."
                ),
            )
        return Answer(status, answered, data)

    def url(self, path: str, query: Mapping[str, str] | None = None) -> str:
        """The address of ``path`` on the instance, with ``query``."""
        return self.base_url + path + ("?" + urllib.parse.urlencode(query) if query else "")

    def _refusal(self, url: str, error: urllib.error.HTTPError) -> NoReturn:
        """Raise a refusal (``Refused``) or, for 5xx and 429, a ``Transient`` failure."""
        try:
            raw = error.read(MAX_BODY)
        except (OSError, http.client.HTTPException):
            raw = b""
        answer = Answer(error.code, dict(error.headers.items()), raw)
        problem = problem_of(answer)
        detail = str(problem.get("detail") or "") or str(error.reason or "")
        code = str(problem.get("code") or "")
        if error.code >= 500 or error.code == 429:
            failure = ClientError(
                errors.SERVER_ERROR,
                _("%(url)s answered %(status)s: %(detail)s")
                % {"url": url, "status": error.code, "detail": detail},
                hint=_("The server is busy or failing; run the same command again in a while."),
                status=error.code,
                problem_code=code,
            )
            raise Transient(failure, retry_after(answer.headers.get("Retry-After")))
        raise Refused(answer, problem, detail, code)


class Refused(ClientError):
    """The server refused the request (4xx other than 429): its problem details, kept whole."""

    def __init__(self, answer: Answer, problem: dict[str, Any], detail: str, code: str) -> None:
        """``detail`` is the server's reason, in the language asked for."""
        hints = {
            401: _("Check the API key: create one for your organization in its settings page."),
            403: _("Your organization or API key may not do this; ask its administrator."),
            404: _("Check the identifier (tender ocid or bid id)."),
        }
        super().__init__(
            errors.REFUSED,
            detail or _("The server refused the request (%(status)s).") % {"status": answer.status},
            hint=hints.get(answer.status, ""),
            status=answer.status,
            problem_code=code,
        )
        self.answer = answer
        self.problem = problem


def problem_of(answer: Answer) -> dict[str, Any]:
    """The problem details document of an error answer ({} when it is not one)."""
    try:
        value = json.loads(answer.body) if answer.body else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())
