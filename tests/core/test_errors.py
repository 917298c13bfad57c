"""The one family of domain errors, and their RFC 7807 problem details (pregon.core.errors)."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from pregon.core.errors import (
    DomainError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    RateLimited,
    ValidationFailed,
)


@pytest.mark.parametrize(
    ("error_class", "status", "code", "title"),
    [
        (DomainError, 400, "invalid", "The request could not be carried out"),
        (ValidationFailed, 422, "validation_failed", "Some values are not valid"),
        (PermissionDenied, 403, "permission_denied", "You may not do this"),
        (NotFound, 404, "not_found", "Not found"),
        (
            InvalidTransition,
            409,
            "invalid_transition",
            "This action is not possible in the current state",
        ),
        (RateLimited, 429, "rate_limited", "Too many requests"),
    ],
)
def test_each_error_maps_to_a_status_and_a_code(
    error_class: type[DomainError], status: int, code: str, title: str
) -> None:
    error = error_class("Something happened.")
    assert issubclass(error_class, DomainError)
    assert (error.status, error.code, str(error.title)) == (status, code, title)
    assert error.as_problem() == {
        "type": f"urn:pregon:error:{code}",
        "title": title,
        "status": status,
        "detail": "Something happened.",
        "code": code,
    }


def test_a_problem_with_a_field_code_and_instance() -> None:
    error = ValidationFailed("Give the tender a title.", field="title", code="title_missing")
    assert error.as_problem(instance="/api/v1/tenders") == {
        "type": "urn:pregon:error:title_missing",
        "title": "Some values are not valid",
        "status": 422,
        "detail": "Give the tender a title.",
        "code": "title_missing",
        "instance": "/api/v1/tenders",
        "errors": {"title": ["Give the tender a title."]},
    }
    # The class keeps its own code: the override belongs to the instance.
    assert ValidationFailed.code == "validation_failed"
    assert str(error) == "Give the tender a title."
    assert error.field == "title"


def test_errors_by_field_are_kept_beside_the_field_of_the_error() -> None:
    error = ValidationFailed(
        "Two problems.",
        field="title",
        errors={"__all__": ["Add at least one lot."], "title": ["Too long."]},
    )
    assert error.as_problem()["errors"] == {
        "__all__": ["Add at least one lot."],
        # The explicit list for the field wins over the message.
        "title": ["Too long."],
    }
    assert error.errors == {"__all__": ["Add at least one lot."], "title": ["Too long."]}


def test_lazy_messages_render_in_the_active_language() -> None:
    error = PermissionDenied(gettext_lazy("Not found"))
    with translation.override("en"):
        problem = error.as_problem()
    assert problem["detail"] == "Not found"
    assert isinstance(problem["detail"], str)
    assert isinstance(problem["title"], str)


def test_a_problem_has_no_errors_member_without_errors() -> None:
    assert "errors" not in NotFound("No such tender.").as_problem()
    assert "instance" not in NotFound("No such tender.").as_problem()
