"""The one place API errors take their shape.

Every refusal of input is a 400 with `{"error", "error_ar", "errors", "errors_ar"}`: a summary and
field messages in English and Arabic. Refused state moves are 409, missing permission 403, unknown
objects 404 — never a 200 carrying an error (the original's habit).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import translation
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from customer_ops.domain.errors import DomainError
from customer_ops.domain.transitions import InvalidTransition

INVALID_INPUT = "invalid input"
INVALID_INPUT_AR = "بيانات غير صالحة"
# Arabic for DRF's own refusals (their English `detail` stays as DRF words it).
STATUS_AR = {
    400: "طلب غير صالح (تحقق من صيغة JSON)",
    401: "يلزم تسجيل الدخول أو رمز وصول صالح",
    403: "ليست لديك صلاحية لهذا الإجراء",
    404: "غير موجود",
    405: "طريقة الطلب غير مسموحة",
    406: "صيغة الرد المطلوبة غير مدعومة",
    413: "حجم الطلب أكبر من المسموح",
    415: "نوع المحتوى غير مدعوم؛ أرسل JSON",
    429: "طلبات كثيرة؛ حاول لاحقاً",
}


class InputInvalid(exceptions.APIException):
    """Field errors in both languages, raised by `validated_input`."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = INVALID_INPUT

    def __init__(self, errors: dict[str, Any], errors_ar: dict[str, Any]) -> None:
        super().__init__(INVALID_INPUT)
        self.errors = errors
        self.errors_ar = errors_ar


def _flatten(detail: Any) -> dict[str, list[str]]:
    """DRF's nested error detail as {field: [messages]} ("metrics.replies" for nested fields)."""
    flat: dict[str, list[str]] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list) and value and not all(isinstance(v, str) for v in value):
            for index, inner in enumerate(value):
                walk(f"{prefix}.{index}" if prefix else str(index), inner)
        else:
            messages = value if isinstance(value, list) else [value]
            flat.setdefault(prefix or "non_field_errors", []).extend(str(m) for m in messages)

    walk("", detail)
    return flat


def validated_input(
    serializer_class: type[serializers.Serializer],
    data: Any,
    *,
    context: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Validate `data`; on failure raise InputInvalid with the messages in English and Arabic."""
    serializer = serializer_class(data=data, context=context or {})
    if serializer.is_valid():  # the common path: one validation, in whatever language is active
        return dict(serializer.validated_data)
    with translation.override("en"):
        again_en = serializer_class(data=data, context=context or {})
        again_en.is_valid()
        errors_en = _flatten(again_en.errors)
    with translation.override("ar"):
        again = serializer_class(data=data, context=context or {})
        again.is_valid()
        errors_ar = _flatten(again.errors)
    raise InputInvalid(errors_en, errors_ar)


def _summary(errors: dict[str, list[str]]) -> str:
    field, messages = next(iter(errors.items()))
    return f"{field}: {messages[0]}" if field != "non_field_errors" else messages[0]


def _body(
    errors: dict[str, list[str]], errors_ar: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    errors_ar = errors_ar or errors
    return {
        "error": _summary(errors) if errors else INVALID_INPUT,
        "error_ar": _summary(errors_ar) if errors_ar else INVALID_INPUT_AR,
        "errors": errors,
        "errors_ar": errors_ar,
    }


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: map domain and Django errors to clear responses."""
    if isinstance(exc, InputInvalid):
        return Response(_body(exc.errors, exc.errors_ar), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DomainError):
        return Response(
            _body({exc.field: [exc.message]}, {exc.field: [exc.message_ar]}),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, InvalidTransition):
        message = str(exc)
        body = {"error": message, "error_ar": getattr(exc, "message_ar", message)}
        body["code"] = "invalid_transition"
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        errors = (
            {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {"non_field_errors": [str(m) for m in exc.messages]}
        )
        return Response(_body(errors), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.ValidationError):
        return Response(_body(_flatten(exc.detail)), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        detail = str(response.data["detail"])
        arabic = STATUS_AR.get(response.status_code, detail)
        response.data = {"error": detail, "error_ar": arabic, **response.data}
    return response
