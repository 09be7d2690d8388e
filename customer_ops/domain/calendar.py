"""The working calendar's parts, as plain values: time windows, the working week, special periods.

Rules:
- a window is a local start and end time; an end at or before the start means the window crosses
  midnight (Ramadan's 21:00–02:00). Time after midnight belongs to the window that opened the
  evening before, so whether it counts is decided by that evening's day (its holiday, its period);
- a window of zero length is refused, and so are windows that overlap — within a day, or a
  window running past midnight into the next day's first window;
- the week has one tuple of windows per weekday (`date.weekday()`: Monday 0 … Sunday 6); a day
  without windows is a day off. A week without any window is refused: no clock could ever end;
- a special period (Ramadan, a stock-take week) is a date range, inclusive, with its own windows
  on its own weekdays; it replaces the week on those dates. Periods may not overlap each other;
- holidays and periods are accepted only inside the supported years around today.
Every refusal is an `InvalidValue` naming the field, in English and Arabic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from customer_ops.domain.errors import InvalidValue
from customer_ops.domain.plurals import DAYS, arabic_count

DAY = dt.timedelta(days=1)
WEEK_MINUTES = 7 * 24 * 60
# `date.weekday()` order, Monday first; Arabic and English names for messages and screens.
WEEKDAY_NAMES_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAY_NAMES_AR = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
# The Saudi week as the screen lists it: Sunday first.
SAUDI_WEEK_ORDER = (6, 0, 1, 2, 3, 4, 5)
# Holidays and periods may be set from last year (corrections) to two years ahead (announcements).
YEARS_BACK = 1
YEARS_AHEAD = 2
MAX_PERIOD_DAYS = 366
MAX_WINDOWS_PER_DAY = 6
# The home screen reminds founders of an unconfirmed religious holiday estimate this far ahead.
ESTIMATE_REMINDER_DAYS = 30


class HolidaySource(StrEnum):
    """Where a day off (or a day the package lists that is worked after all) comes from."""

    PACKAGE = "package"  # a fixed-date public holiday from the `holidays` package
    ESTIMATE = "estimate"  # a religious holiday the package estimates from the Hijri calendar
    ANNOUNCED = "announced"  # announced (or confirmed, or moved) by a founder


@dataclass(frozen=True, slots=True, order=True)
class WorkWindow:
    """One working time window of a day; it may run past midnight into the next day."""

    start: dt.time
    end: dt.time

    def __post_init__(self) -> None:
        if self.start.tzinfo or self.end.tzinfo:
            raise InvalidValue(
                "windows",
                "window times are local times, without a timezone",
                message_ar="أوقات الفترة محلية بلا منطقة زمنية",
            )
        if self.start == self.end:
            raise InvalidValue(
                "windows",
                f"the window {self.label} has no length",
                message_ar=f"الفترة {self.label} مدتها صفر",
            )

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    @property
    def start_offset(self) -> dt.timedelta:
        """From the day's midnight to the opening."""
        return _offset(self.start)

    @property
    def end_offset(self) -> dt.timedelta:
        """From the day's midnight to the closing (past 24 hours when it crosses midnight)."""
        return _offset(self.end) + (DAY if self.crosses_midnight else dt.timedelta(0))

    @property
    def length(self) -> dt.timedelta:
        return self.end_offset - self.start_offset

    @property
    def label(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


def _offset(value: dt.time) -> dt.timedelta:
    return dt.timedelta(
        hours=value.hour, minutes=value.minute, seconds=value.second, microseconds=value.microsecond
    )


def parse_time(field: str, value: object) -> dt.time:
    """A local "HH:MM" (or a `time`) as a naive time; anything else is `InvalidValue`."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str) and len(value) == 5 and value[2] == ":":
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidValue(
        field,
        f"a time must be written HH:MM (00:00–23:59), not {str(value)[:20]!r}",
        message_ar="يُكتب الوقت بالصيغة HH:MM (من 00:00 إلى 23:59)",
    )


def parse_window(field: str, value: object) -> WorkWindow:
    """A window from {"start": "HH:MM", "end": "HH:MM"}, a [start, end] pair, or a WorkWindow."""
    if isinstance(value, WorkWindow):
        return value
    if isinstance(value, Mapping):
        start, end = value.get("start"), value.get("end")
    elif isinstance(value, list | tuple) and len(value) == 2:
        start, end = value
    else:
        raise InvalidValue(
            field,
            "a window needs a start and an end",
            message_ar="الفترة تحتاج وقت بداية ووقت نهاية",
        )
    try:
        return WorkWindow(parse_time(field, start), parse_time(field, end))
    except InvalidValue as error:
        raise InvalidValue(field, error.message, message_ar=error.message_ar) from None


type Week = tuple[tuple[WorkWindow, ...], ...]


def week_of_hours(workdays: Iterable[int], start: dt.time, end: dt.time) -> Week:
    """The week with one window on each working day (the declared settings' shape)."""
    days = frozenset(workdays)
    window = WorkWindow(start, end)
    return tuple((window,) if day in days else () for day in range(7))


def checked_week(days: Mapping[int, Iterable[WorkWindow]], *, field: str = "week") -> Week:
    """A week from {weekday: windows}, refused when a window overlaps another or there is none."""
    for day in days:
        if not isinstance(day, int) or isinstance(day, bool) or day not in range(7):
            raise InvalidValue(
                field,
                f"weekdays are 0 (Monday) to 6 (Sunday), not {day!r}",
                message_ar="أيام الأسبوع من 0 (الاثنين) إلى 6 (الأحد)",
            )
    week = tuple(tuple(sorted(days.get(day, ()))) for day in range(7))
    if not any(week):
        raise InvalidValue(
            field,
            "the week needs at least one working window",
            message_ar="يحتاج الأسبوع إلى فترة عمل واحدة على الأقل",
        )
    ensure_no_overlap(week, field=field)
    return week


def ensure_no_overlap(week: Sequence[Sequence[WorkWindow]], *, field: str) -> None:
    """Refuse windows that overlap on the weekly cycle, across midnight and Saturday→Sunday too."""
    spans: list[tuple[int, int, int, WorkWindow]] = []
    for day, windows in enumerate(week):
        if len(windows) > MAX_WINDOWS_PER_DAY:
            raise InvalidValue(
                field,
                f"at most {MAX_WINDOWS_PER_DAY} windows a day",
                message_ar=f"لا يزيد عدد الفترات في اليوم على {MAX_WINDOWS_PER_DAY}",
            )
        for window in windows:
            begin = day * 1440 + int(window.start_offset.total_seconds() // 60)
            spans.append((begin, begin + int(window.length.total_seconds() // 60), day, window))
    spans.sort()
    # Each span against the next one; the last against the first one a week later (the cycle).
    following = [
        *spans[1:],
        *[(begin + WEEK_MINUTES, end, day, window) for begin, end, day, window in spans[:1]],
    ]
    for (_, end, day, window), (begin, _, next_day, next_window) in zip(
        spans, following, strict=True
    ):
        if end > begin:
            raise InvalidValue(
                field,
                f"{WEEKDAY_NAMES_EN[day]} {window.label} overlaps "
                f"{WEEKDAY_NAMES_EN[next_day]} {next_window.label}",
                message_ar=f"فترة {WEEKDAY_NAMES_AR[day]} {window.label} تتداخل مع فترة "
                f"{WEEKDAY_NAMES_AR[next_day]} {next_window.label}",
            )


def supported_years(today: dt.date) -> range:
    """The years holidays and periods may be set for."""
    return range(today.year - YEARS_BACK, today.year + YEARS_AHEAD + 1)


def ensure_supported_day(day: dt.date, *, today: dt.date, field: str = "date") -> dt.date:
    """`day` if its year is supported, else `InvalidValue` naming the years."""
    years = supported_years(today)
    if day.year not in years:
        raise InvalidValue(
            field,
            f"{day.isoformat()} is outside the supported years {years[0]}–{years[-1]}",
            message_ar=f"التاريخ {day.isoformat()} خارج السنوات المدعومة {years[0]}–{years[-1]}",
        )
    return day


@dataclass(frozen=True, slots=True)
class SpecialPeriod:
    """A dated stretch (inclusive) with its own windows on its own weekdays, e.g. Ramadan."""

    name: str
    start: dt.date
    end: dt.date
    windows: tuple[WorkWindow, ...]
    weekdays: frozenset[int]

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidValue("name", "the period needs a name", message_ar="اسم الفترة مطلوب")
        if self.end < self.start:
            raise InvalidValue(
                "end",
                "the period ends before it starts",
                message_ar="تنتهي الفترة قبل أن تبدأ",
            )
        if (self.end - self.start).days >= MAX_PERIOD_DAYS:
            raise InvalidValue(
                "end",
                f"a period lasts at most {MAX_PERIOD_DAYS} days",
                message_ar=f"لا تزيد مدة الفترة على {arabic_count(MAX_PERIOD_DAYS, DAYS)}",
            )
        if not self.windows:
            raise InvalidValue(
                "windows",
                "the period needs at least one working window",
                message_ar="تحتاج الفترة إلى فترة عمل واحدة على الأقل",
            )
        if not self.weekdays or not self.weekdays <= frozenset(range(7)):
            raise InvalidValue(
                "weekdays",
                "weekdays are 0 (Monday) to 6 (Sunday), at least one",
                message_ar="أيام الأسبوع من 0 (الاثنين) إلى 6 (الأحد)، يوم واحد على الأقل",
            )
        object.__setattr__(self, "windows", tuple(sorted(self.windows)))
        ensure_no_overlap(self.week, field="windows")

    @property
    def week(self) -> Week:
        """The period's windows as a week (its days off have none)."""
        return tuple(self.windows if day in self.weekdays else () for day in range(7))

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def ensure_periods_apart(periods: Iterable[SpecialPeriod]) -> tuple[SpecialPeriod, ...]:
    """The periods by start date, refused when two share a day."""
    ordered = tuple(sorted(periods, key=lambda period: (period.start, period.end)))
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if later.start <= earlier.end:
            raise InvalidValue(
                "start",
                f"the period overlaps {earlier.name} ({earlier.start}–{earlier.end})",
                message_ar=f"تتداخل الفترة مع {earlier.name} ({earlier.start}–{earlier.end})",
            )
    return ordered


def week_as_data(week: Week) -> dict[str, list[list[str]]]:
    """The week as JSON-ready data: {"6": [["09:00", "17:00"]], …} (weekday → windows)."""
    return {
        str(day): [[f"{w.start:%H:%M}", f"{w.end:%H:%M}"] for w in windows]
        for day, windows in enumerate(week)
        if windows
    }


def week_from_data(data: Mapping[str, object], *, field: str = "week") -> Week:
    """The week back from `week_as_data` (or from API input keyed by weekday), checked."""
    days: dict[int, list[WorkWindow]] = {}
    for key, windows in data.items():
        try:
            day = int(key)
        except (TypeError, ValueError):
            day = -1
        if not isinstance(windows, list | tuple):
            raise InvalidValue(
                f"{field}.{key}", "a list of windows", message_ar="قائمة فترات مطلوبة"
            )
        days[day] = [
            parse_window(f"{field}.{key}.{index}", value) for index, value in enumerate(windows)
        ]
    return checked_week(days, field=field)
