"""One family of domain errors, raised by services and mapped once to pages and to the API.

Every error carries a translatable message meant for the person who acted, a stable machine
code, the HTTP status it maps to, and optionally the form field it is about.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A refused action. Nothing was changed when one of these is raised by a service."""

    status = 400
    code = "invalid"
    title = _("The request could not be carried out")

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str | None = None,
        field: str | None = None,
        errors: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.field = field
        self.errors = errors or {}

    def as_problem(self, *, instance: str = "") -> dict[str, Any]:
        """RFC 7807 problem details, with the message in the active language."""
        problem: dict[str, Any] = {
            "type": f"urn:pregon:error:{self.code}",
            "title": str(self.title),
            "status": self.status,
            "detail": str(self.message),
            "code": self.code,
        }
        if instance:
            problem["instance"] = instance
        errors = dict(self.errors)
        if self.field:
            errors.setdefault(self.field, [str(self.message)])
        if errors:
            problem["errors"] = {key: [str(m) for m in value] for key, value in errors.items()}
        return problem


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"
    title = _("Some values are not valid")


class PermissionDenied(DomainError):
    status = 403
    code = "permission_denied"
    title = _("You may not do this")


class NotFound(DomainError):
    status = 404
    code = "not_found"
    title = _("Not found")


class InvalidTransition(DomainError):
    status = 409
    code = "invalid_transition"
    title = _("This action is not possible in the current state")


class PreconditionFailed(DomainError):
    """The object changed since the caller read it (an HTTP If-Match that no longer holds)."""

    status = 412
    code = "precondition_failed"
    title = _("The object changed since you read it")


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    title = _("Too many requests")
