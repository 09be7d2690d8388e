"""The refusals every API operation can give, written into the OpenAPI schema.

drf-spectacular documents what a view declares; the refusals that come from the framework around
the view (no permission, throttled, oversized or non-JSON bodies, unknown objects, refused state
moves) would otherwise be missing, and a client (or schemathesis) reading the schema would meet
undocumented status codes. Their bodies are the shapes `dealix.api_errors` gives.
"""

from __future__ import annotations

from typing import Any

WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})
# Component names: the 400 shape documented by the rule endpoints, and the plain refusal.
INPUT_ERROR = "ErrorOutput"
REFUSAL = "Refusal"

REFUSAL_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A refusal: `error` in English, `error_ar` in Arabic (and DRF's `detail`).",
    "properties": {
        "error": {"type": "string"},
        "error_ar": {"type": "string"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
    },
    "required": ["error", "error_ar"],
}
INPUT_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "400: a summary and per-field messages, in English and Arabic.",
    "properties": {
        "error": {"type": "string"},
        "error_ar": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        "errors_ar": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["error", "error_ar", "errors", "errors_ar"],
}
DESCRIPTIONS = {
    400: "Invalid input: field messages in English and Arabic",
    403: "Not signed in, no valid token, or not allowed for this role",
    404: "No such object",
    409: "The object's current state does not allow this",
    413: "Request body over 1 MB",
    415: "Body is not JSON",
    429: "Too many requests; wait for Retry-After seconds",
}


def _response(code: int) -> dict[str, Any]:
    name = INPUT_ERROR if code == 400 else REFUSAL
    return {
        "description": DESCRIPTIONS[code],
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
    }


def refusal_codes(method: str, operation: dict[str, Any]) -> set[int]:
    """The refusal statuses an operation can answer with, besides those it declares itself."""
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    codes = {403, 429}
    if has_body:
        codes |= {400, 413, 415}
    if any(p.get("in") == "query" and p.get("name") != "format" for p in parameters):
        codes.add(400)
    if any(p.get("in") == "query" and p.get("name") == "page" for p in parameters):
        codes.add(404)  # a page past the end
    declared_refusals = any(str(code).startswith("4") for code in operation.get("responses", {}))
    if not declared_refusals:
        # Views that spell out their own 4xx (the rule endpoints) are exact about 404 and 409.
        if any(p.get("in") == "path" for p in parameters):
            codes.add(404)
        if method in WRITE_METHODS:
            codes |= {400, 409}
    return codes


def add_refusal_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] entry."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(INPUT_ERROR, INPUT_ERROR_SCHEMA)
    schemas.setdefault(REFUSAL, REFUSAL_SCHEMA)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in WRITE_METHODS | {"get"}:
                continue
            responses = operation.setdefault("responses", {})
            for code in sorted(refusal_codes(method, operation)):
                responses.setdefault(str(code), _response(code))
    return result
