"""Checks HTTP responses against the committed OpenAPI document (src/pregon/openapi.json).

`check(response)` finds the operation from the request's path and method, takes the schema
the document gives for the response's status and media type, and validates the body against
it with jsonschema, resolving `$ref`s into the document's components.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from django.http import HttpResponse
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from pregon.api import SNAPSHOT

_DOCUMENT_URI = "urn:pregon:openapi"


@cache
def document() -> dict[str, Any]:
    """The committed OpenAPI document."""
    return json.loads(SNAPSHOT.read_text(encoding="utf-8"))


@cache
def _registry() -> Registry:
    resource = Resource.from_contents(document(), default_specification=DRAFT202012)
    return Registry().with_resource(_DOCUMENT_URI, resource)


@cache
def _templates() -> list[tuple[re.Pattern[str], str]]:
    return [
        (re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"), template)
        for template in document()["paths"]
    ]


def operation_for(path: str, method: str) -> tuple[str, dict[str, Any]]:
    """The path template and operation the document describes for a concrete request."""
    for pattern, template in _templates():
        if pattern.match(path):
            operations = document()["paths"][template]
            assert method.lower() in operations, f"{method} {template} is not in the document"
            return template, operations[method.lower()]
    raise AssertionError(f"{path} matches no path of the OpenAPI document")


def _pointer(*parts: str) -> str:
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


def schema_for(path: str, method: str, status: int, media_type: str) -> dict[str, Any]:
    """A schema that refers to the document's response schema for one path, method, status and
    media type (so that the `$ref`s inside it resolve within the document)."""
    template, operation = operation_for(path, method)
    responses = operation["responses"]
    assert str(status) in responses, (
        f"{method} {template} answered {status}, which the document does not list "
        f"({', '.join(responses)})"
    )
    content = responses[str(status)].get("content", {})
    assert media_type in content, (
        f"{method} {template} {status} answered {media_type}; the document has {list(content)}"
    )
    pointer = _pointer(
        "paths", template, method.lower(), "responses", str(status), "content", media_type, "schema"
    )
    return {"$ref": f"{_DOCUMENT_URI}#{pointer}"}


def validate(instance: Any, schema: dict[str, Any]) -> None:
    """Validate `instance`; `$ref`s resolve in the committed document."""
    validator = Draft202012Validator(
        schema, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(instance), key=lambda error: list(error.path))
    assert not errors, "\n".join(
        f"{'/'.join(str(p) for p in error.path) or '(root)'}: {error.message}" for error in errors
    )


def check(response: HttpResponse) -> Any:
    """Assert the response matches the committed document; return its parsed JSON body."""
    path = response.request["PATH_INFO"]
    method = response.request["REQUEST_METHOD"]
    media_type = response["Content-Type"].split(";")[0].strip()
    schema = schema_for(path, method, response.status_code, media_type)
    body = json.loads(response.content)
    validate(body, schema)
    return body
