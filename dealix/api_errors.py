"""The one place API errors take their shape.

Every refusal of input is a 400 with `{"error", "error_ar", "errors", "errors_ar"}`: a summary and
field messages in English and Arabic. Refused state moves are 409, missing permission 403, unknown
objects 404 — never a 200 carrying an error (the original's habit).

`validated_input` adds two checks to the serializer's own, for every endpoint at once: a JSON body
must give each value its field's JSON type (DRF's stock fields would take 5 as "5", "7" as 7 and
"yes" as true), no text, however nested, may hide a control, bidi or zero-width character
(`customer_ops.domain.text.find_unsafe_character`), so no endpoint can store one; a one-line text
field (any not declared `style=MULTILINE`) holds no line break or tab; and every date lies in the
sensible range of `customer_ops.domain.inputs`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, QueryDict
from django.utils import translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from customer_ops.domain.errors import Conflict, DomainError, EditConflict, RoleRefused
from customer_ops.domain.inputs import (
    EARLIEST_DATE,
    INTEGER_MAX,
    LATEST_DATE,
    date_in_range,
    integer_in_range,
)
from customer_ops.domain.text import UnsafeCharacter, find_line_break, find_unsafe_character

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


def unsafe_character_message(found: UnsafeCharacter) -> str:
    """The refusal of a hidden or control character, in the active language (API and console).

    It names the character by code point and Unicode name and never repeats it: echoing an RLO
    back would reorder the message itself.
    """
    return gettext(
        "يحتوي النص على حرف غير مرئي أو حرف تحكّم (%(code)s %(name)s) في الحرف رقم "
        "%(position)s؛ احذفه."
    ) % {"code": found.code_point, "name": found.name, "position": found.position}


def _collect_unsafe(prefix: str, value: Any, found: dict[str, UnsafeCharacter]) -> None:
    if isinstance(value, str):
        character = find_unsafe_character(value)
        if character is not None:
            found.setdefault(prefix or "non_field_errors", character)
    elif isinstance(value, dict | Mapping):
        for key, inner in value.items():
            bad_key = find_unsafe_character(key) if isinstance(key, str) else None
            if bad_key is not None:
                # Blamed on its container: the path must not carry the character back.
                found.setdefault(prefix or "non_field_errors", bad_key)
                continue
            _collect_unsafe(f"{prefix}.{key}" if prefix else str(key), inner, found)
    elif isinstance(value, list | tuple):
        for index, inner in enumerate(value):
            _collect_unsafe(f"{prefix}.{index}" if prefix else str(index), inner, found)


def unsafe_text_in(data: Any) -> dict[str, UnsafeCharacter]:
    """Each field path ("metrics.notes", "items.0") whose text holds a refused character."""
    found: dict[str, UnsafeCharacter] = {}
    _collect_unsafe("", data, found)
    return found


def _messages(found: Mapping[str, UnsafeCharacter], language: str) -> dict[str, list[str]]:
    with translation.override(language):
        return {path: [unsafe_character_message(c)] for path, c in found.items()}


def unsafe_text_refusal(found: Mapping[str, UnsafeCharacter]) -> InputInvalid:
    """The 400 for text with a refused character: one message per field, in both languages."""
    return InputInvalid(_messages(found, "en"), _messages(found, "ar"))


def refuse_unsafe_query(params: QueryDict) -> None:
    """Query parameters a view reads without a serializer get the same 400 as a body would.

    Without it a NUL in `?status=` reached a PostgreSQL filter as a 500.
    """
    values = {key: v if len(v) > 1 else v[0] for key, v in params.lists()}
    found = unsafe_text_in(values)
    if found:
        raise unsafe_text_refusal(found)


# DRF's own mark of a multi-line text field (the browsable API draws it as a textarea). Every other
# text field of an input serializer is one line: `validated_input` refuses a line break or a tab
# in it (`find_line_break`), as the console refuses one in a one-line input.
MULTILINE: dict[str, Any] = {"base_template": "textarea.html"}


def is_multiline(field: serializers.Field) -> bool:
    """Whether a text field may hold several lines (declared with `style=MULTILINE`)."""
    return field.style.get("base_template") == MULTILINE["base_template"]


def _leaves(
    field: serializers.Field, value: Any, path: str
) -> Iterator[tuple[str, serializers.Field, Any]]:
    """(path, field, value) for each value sent to a leaf field, however nested."""
    if isinstance(field, serializers.Serializer):
        if isinstance(value, Mapping):
            for name, inner in field.fields.items():
                if not inner.read_only and name in value:
                    yield from _leaves(inner, value[name], f"{path}.{name}" if path else name)
    elif isinstance(field, serializers.ListSerializer | serializers.ListField):
        if isinstance(value, list) and field.child is not None:  # DRF asserts a child
            for index, item in enumerate(value):
                yield from _leaves(field.child, item, f"{path}.{index}")
    elif isinstance(field, serializers.DictField):
        if isinstance(value, Mapping):
            for key, item in value.items():
                yield from _leaves(field.child, item, f"{path}.{key}")
    else:
        yield path or "non_field_errors", field, value


def _line_breaks(serializer: serializers.Serializer, data: Any) -> dict[str, UnsafeCharacter]:
    """Each one-line text field whose value holds a line break or a tab."""
    found: dict[str, UnsafeCharacter] = {}
    for path, field, value in _leaves(serializer, data, ""):
        if isinstance(field, serializers.CharField) and isinstance(value, str):
            character = None if is_multiline(field) else find_line_break(value)
            if character is not None:
                found.setdefault(path, character)
    return found


def _dates_sent_out_of_range(serializer: serializers.Serializer, data: Any) -> list[str]:
    """Each date or date-time field whose text names a day outside the sensible range.

    Asked before the serializer runs: DRF turns a naive 0001-01-01T00:00 into Riyadh time and
    then to UTC, which is before year 1 (OverflowError, a 500, inside the field itself).
    """
    paths = []
    for path, field, value in _leaves(serializer, data, ""):
        if not isinstance(field, serializers.DateTimeField | serializers.DateField):
            continue
        if not isinstance(value, str):
            continue
        try:
            parsed = parse_datetime(value) or parse_date(value)
        except ValueError:
            parsed = None  # the field's own "invalid" message
        if parsed is not None and not date_in_range(parsed):
            paths.append(path)
    return paths


def date_range_message() -> str:
    """The refusal of a date outside the sensible range, in the active language (API and console)."""
    return gettext("التاريخ يجب أن يكون بين %(earliest)s و%(latest)s.") % {
        "earliest": EARLIEST_DATE.isoformat(),
        "latest": LATEST_DATE.isoformat(),
    }


def integer_range_message() -> str:
    """The refusal of a whole number wider than a database integer, in the active language."""
    return gettext("العدد يجب ألا يتجاوز %(limit)s.") % {"limit": INTEGER_MAX}


def _out_of_range(prefix: str, value: Any, found: dict[str, Callable[[], str]]) -> None:
    """Each path whose date lies outside the sensible range, or whose integer is too wide."""
    if isinstance(value, dt.date):
        if not date_in_range(value):
            found[prefix or "non_field_errors"] = date_range_message
    elif isinstance(value, int) and not isinstance(value, bool):
        if not integer_in_range(value):
            found[prefix or "non_field_errors"] = integer_range_message
    elif isinstance(value, Mapping):
        for key, inner in value.items():
            _out_of_range(f"{prefix}.{key}" if prefix else str(key), inner, found)
    elif isinstance(value, list | tuple):
        for index, inner in enumerate(value):
            _out_of_range(f"{prefix}.{index}" if prefix else str(index), inner, found)


def _range_refusal(found: Mapping[str, Callable[[], str]]) -> InputInvalid:
    errors: dict[str, dict[str, list[str]]] = {}
    for language in ("en", "ar"):
        with translation.override(language):
            errors[language] = {path: [message()] for path, message in found.items()}
    return InputInvalid(errors["en"], errors["ar"])


BODY_NOT_OBJECT = ("the request body must be a JSON object", "يجب أن يكون جسم الطلب كائن JSON")


def _json_type(field: serializers.Field) -> str | None:
    """The JSON type a stock DRF field must be sent as; None where the field decides itself.

    A field class of the project's own (the rule endpoints' `IdField` takes 7 or "7") states its
    own rule, and choices, dates and decimals are checked well enough by their fields.
    """
    if type(field).__module__ != "rest_framework.fields":
        return None
    if isinstance(field, serializers.BooleanField):
        return "boolean"
    if isinstance(field, serializers.IntegerField | serializers.FloatField):
        return "number"
    if isinstance(field, serializers.CharField):
        return "text"
    return None


def _is_json_type(value: Any, expected: str) -> bool:
    if expected == "boolean":
        return isinstance(value, bool)
    if expected == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, str)


def _wrong_types(
    field: serializers.Field, value: Any, path: str
) -> Iterator[tuple[str, serializers.Field]]:
    """(path, field) for each value inside `value` sent as the wrong JSON type for its field."""
    if value is None:
        return  # null is the field's own business (allow_null)
    if isinstance(field, serializers.Serializer):
        if isinstance(value, Mapping):
            for name, inner in field.fields.items():
                if not inner.read_only and name in value:
                    yield from _wrong_types(inner, value[name], f"{path}.{name}" if path else name)
    elif isinstance(field, serializers.ListSerializer | serializers.ListField):
        if isinstance(value, list) and field.child is not None:  # DRF asserts a child
            for index, item in enumerate(value):
                yield from _wrong_types(field.child, item, f"{path}.{index}")
    elif isinstance(field, serializers.DictField):
        if isinstance(value, Mapping):
            for key, item in value.items():
                if isinstance(key, str) and find_unsafe_character(key) is None:
                    yield from _wrong_types(field.child, item, f"{path}.{key}")
    else:
        expected = _json_type(field)
        if expected is not None and not _is_json_type(value, expected):
            yield path, field


def _type_messages(wrong: Mapping[str, serializers.Field], language: str) -> dict[str, list[str]]:
    with translation.override(language):
        return {path: [str(field.error_messages["invalid"])] for path, field in wrong.items()}


def validated_input(
    serializer_class: type[serializers.Serializer],
    data: Any,
    *,
    context: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Validate `data`; on failure raise InputInvalid with the messages in English and Arabic.

    Besides the serializer's own checks: a JSON body (not a query string or form post, where all
    values are text) must send each stock field its JSON type, and valid data is refused if any
    of its text (nested values and keys included) holds a control, bidi or zero-width character.
    """
    if not isinstance(data, Mapping):  # a JSON list, string, number or null
        raise InputInvalid(
            {"non_field_errors": [BODY_NOT_OBJECT[0]]}, {"non_field_errors": [BODY_NOT_OBJECT[1]]}
        )
    serializer = serializer_class(data=data, context=context or {})
    early = _dates_sent_out_of_range(serializer, data)
    if early:
        raise _range_refusal(dict.fromkeys(early, date_range_message))
    # A query string or form post is all text: only a parsed JSON body has types to check.
    wrong = {} if isinstance(data, QueryDict) else dict(_wrong_types(serializer, data, ""))
    if serializer.is_valid() and not wrong:  # the common path: one validation
        validated = dict(serializer.validated_data)
        unsafe = unsafe_text_in(validated)
        if unsafe:
            raise unsafe_text_refusal(unsafe)
        breaks = _line_breaks(serializer, data)
        if breaks:
            raise unsafe_text_refusal(breaks)
        out_of_range: dict[str, Callable[[], str]] = {}
        _out_of_range("", validated, out_of_range)
        if out_of_range:
            raise _range_refusal(out_of_range)
        return validated
    errors: dict[str, dict[str, list[str]]] = {}
    for language in ("en", "ar"):
        with translation.override(language):
            again = serializer_class(data=data, context=context or {})
            again.is_valid()
            errors[language] = {**_type_messages(wrong, language), **_flatten(again.errors)}
    raise InputInvalid(errors["en"], errors["ar"])


def visible(text: str) -> str:
    """`text` with each refused character written as its code point ("<U+202E>").

    Error messages may quote what was sent (DRF's "… is not a valid choice.", an unknown path
    value); quoted as they are, an RLO would reorder the message and a NUL would travel on.
    """
    pieces: list[str] = []
    done = 0
    found = find_unsafe_character(text)
    while found is not None:
        pieces += [text[done : found.index], f"<{found.code_point}>"]
        done = found.index + 1
        found = find_unsafe_character(text, start=done)
    return "".join(pieces) + text[done:] if pieces else text


def _visible_all(data: Any) -> Any:
    if isinstance(data, str):
        return visible(data)
    if isinstance(data, Mapping):
        return {visible(str(key)): _visible_all(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_visible_all(value) for value in data]
    return data


def _summary(errors: dict[str, list[str]]) -> str:
    field, messages = next(iter(errors.items()))
    return f"{field}: {messages[0]}" if field != "non_field_errors" else messages[0]


def _body(
    errors: dict[str, list[str]], errors_ar: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    errors_ar = errors_ar or errors
    body = {
        "error": _summary(errors) if errors else INVALID_INPUT,
        "error_ar": _summary(errors_ar) if errors_ar else INVALID_INPUT_AR,
        "errors": errors,
        "errors_ar": errors_ar,
    }
    sanitized: dict[str, Any] = _visible_all(body)
    return sanitized


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: map domain and Django errors to clear responses."""
    if isinstance(exc, InputInvalid):
        return Response(_body(exc.errors, exc.errors_ar), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Conflict):  # the record's state refuses the move
        code = "edit_conflict" if isinstance(exc, EditConflict) else "invalid_transition"
        body = {"error": exc.message, "error_ar": exc.message_ar, "code": code}
        return Response(_visible_all(body), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, RoleRefused):  # the caller's role may not do this
        body = {"error": exc.message, "error_ar": exc.message_ar, "detail": exc.message}
        return Response(_visible_all(body), status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DomainError):
        return Response(
            _body({exc.field: [exc.message]}, {exc.field: [exc.message_ar]}),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DjangoValidationError):
        errors = (
            {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {"non_field_errors": [str(m) for m in exc.messages]}
        )
        return Response(_body(errors), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.ParseError):
        # Malformed JSON: the same shape as every other 400, so a client reads one format.
        return Response(
            _body({"non_field_errors": [str(exc.detail)]}, {"non_field_errors": [STATUS_AR[400]]}),
            status=status.HTTP_400_BAD_REQUEST,
        )
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
    if response is not None:  # e.g. a 404 naming an unknown path value
        response.data = _visible_all(response.data)
    return response


def validated_query(
    serializer_class: type[serializers.Serializer], params: QueryDict
) -> dict[str, Any]:
    """List filters from the query string: each given once and not empty, then validated as
    `validated_input` validates a body.

    DRF would quietly take the last of repeated values and treat `?status=` as "no filter", so a
    client with a bug gets the whole list and never learns why.
    """
    declared = serializer_class().fields
    errors: dict[str, list[str]] = {}
    errors_ar: dict[str, list[str]] = {}
    for key, values in params.lists():
        if key not in declared:
            continue  # `page` and `format` belong to pagination and rendering
        if len(values) > 1:
            errors[key] = ["give this filter once"]
            errors_ar[key] = ["أرسل هذا المرشّح مرة واحدة"]
        elif values[0] == "":
            errors[key] = ["give a value, or leave the filter out"]
            errors_ar[key] = ["أرسل قيمة، أو احذف هذا المرشّح"]
    if errors:
        raise InputInvalid(errors, errors_ar)
    return validated_input(serializer_class, params)
