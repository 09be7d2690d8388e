"""Checks on raw input values shared by the rules: counts, amounts, flags and aware datetimes.

The original coerced with `int()`/`float()`/`bool()`, so `"false"` was true and `"abc"` was a 500.
Here a wrong type is a `InvalidValue` naming the field; nothing is coerced from text.
"""

from __future__ import annotations

import datetime as dt
import math

from customer_ops.domain.errors import InvalidValue


def require_count(field: str, value: object) -> int:
    """A whole number ≥ 0; integral floats (3.0) are accepted because JSON may send them."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidValue(
            field, f"{field} must be a whole number", message_ar=f"{field} يجب أن يكون عدداً صحيحاً"
        )
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        raise InvalidValue(
            field, f"{field} must be a whole number", message_ar=f"{field} يجب أن يكون عدداً صحيحاً"
        )
    if value < 0:
        raise InvalidValue(
            field, f"{field} must not be negative", message_ar=f"{field} لا يمكن أن يكون سالباً"
        )
    return int(value)


def require_number(
    field: str, value: object, *, minimum: float = 0.0, maximum: float | None = None
) -> float:
    """A finite number within [minimum, maximum]; booleans and text are refused."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidValue(
            field, f"{field} must be a number", message_ar=f"{field} يجب أن يكون رقماً"
        )
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"between {minimum:g} and {maximum:g}" if maximum is not None else f"≥ {minimum:g}"
        raise InvalidValue(
            field,
            f"{field} must be {bounds}",
            message_ar=f"{field} خارج النطاق المسموح ({bounds})",
        )
    return float(value)


def require_bool(field: str, value: object) -> bool:
    """A real boolean: the JSON string "false" must not count as true."""
    if not isinstance(value, bool):
        raise InvalidValue(
            field, f"{field} must be true or false", message_ar=f"{field} يجب أن يكون true أو false"
        )
    return value


def require_text(field: str, value: object) -> str:
    """A string (possibly empty)."""
    if not isinstance(value, str):
        raise InvalidValue(field, f"{field} must be text", message_ar=f"{field} يجب أن يكون نصاً")
    return value


def require_aware(field: str, value: object) -> dt.datetime:
    """A timezone-aware datetime: SLA and deadline maths on naive times silently shifts by hours."""
    if not isinstance(value, dt.datetime):
        raise InvalidValue(
            field, f"{field} must be a datetime", message_ar=f"{field} يجب أن يكون تاريخاً ووقتاً"
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidValue(
            field,
            f"{field} must be timezone-aware",
            message_ar=f"{field} يجب أن يحمل المنطقة الزمنية",
        )
    return value


# ── Dates in a sensible range ───────────────────────────────────────────────────────────────────
# Every date and date-time a person gives (an incident's detection, a pilot's start, a renewal, a
# filter) lies in this range. Outside it a value is a typo or a probe: an incident "detected" in
# year 1 got a PDPL deadline in year 1, and a naive 0001-01-01T00:00 in Riyadh is before the
# first UTC instant a database can store (a 500). The API and the console refuse it alike.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)


def date_in_range(value: dt.date) -> bool:
    """Whether the date (or the date-time's own calendar date) lies in the sensible range."""
    day = value.date() if isinstance(value, dt.datetime) else value
    return EARLIEST_DATE <= day <= LATEST_DATE


def require_sensible_date[D: dt.date](field: str, value: D) -> D:
    """`value` if it lies between EARLIEST_DATE and LATEST_DATE; else `InvalidValue`."""
    if not date_in_range(value):
        raise InvalidValue(
            field,
            f"{field} must be between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}",
            message_ar=(
                f"{field} يجب أن يكون بين {EARLIEST_DATE.isoformat()} و{LATEST_DATE.isoformat()}"
            ),
        )
    return value


# The widest integer a database column here holds (a signed 64-bit integer). A larger one given
# to a filter reached SQLite as OverflowError (a 500); every integer input is bounded by it.
INTEGER_MAX = 2**63 - 1


def integer_in_range(value: int) -> bool:
    """Whether `value` fits a signed 64-bit database integer."""
    return -INTEGER_MAX <= value <= INTEGER_MAX
