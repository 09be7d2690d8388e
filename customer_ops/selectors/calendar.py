"""Reads of the working calendar of the P2/P3 SLA clocks: week, special periods, holidays.

Default: Sunday–Thursday, 09:00–17:00 in the business timezone, minus the Saudi public holidays of
the `holidays` package, adjusted by the `HolidayOverride` table (Eid breaks are announced each year
and may differ from the package's estimate). The timezone and the default week are declared
settings (`TIME_ZONE`, `DEALIX_SLA_WORKDAYS`, `DEALIX_SLA_DAY_START`, `DEALIX_SLA_DAY_END`, all
from the environment) read only through `business_timezone()` and `business_week()`. Once a
founder saves a week on the calendar screen (`WorkingCalendarState.week`), that week applies;
special periods (`CalendarPeriod`, e.g. Ramadan's evening shift) replace it on their dates.

The package's holidays are computed once per year and process (they never change); the overrides
are read from the database on every calendar build — one indexed query on a tiny table — so every
process sees an announced date as soon as it is committed.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from customer_ops.domain.calendar import (
    ESTIMATE_REMINDER_DAYS,
    HolidaySource,
    SpecialPeriod,
    Week,
    parse_window,
    week_from_data,
    week_of_hours,
)
from customer_ops.domain.errors import InvalidValue
from customer_ops.domain.sla import ClockBasis, SkipReason, TicketSla, WorkingCalendar
from customer_ops.models import CalendarPeriod, HolidayOverride, WorkingCalendarState
from customer_ops.models.calendar import CALENDAR_STATE_ID

COUNTRY = "SA"


_COUNTRY_LOCK = threading.Lock()


def _country_holidays_class() -> Any:
    """The `holidays` package's class for COUNTRY, imported without the other 249 countries.

    Imported on first use, not with this module: most processes that import it (the scheduler,
    management commands, migrations) never compute a working-hours clock, and the package costs
    ~7 MiB. And not through `holidays.country_holidays()`: that imports the `holidays.countries`
    package, whose `__init__` imports all 250 country modules — ~4 MiB more in every web and task
    worker, and a first working-hours clock 4× slower to build (2.6 s instead of 0.6 s on the
    bench machine; see bench/worker_memory.py). The country's own file imports only the package's
    shared parts, so it is loaded alone under its usual name (a later import of the package finds
    it there). Should the package ever be laid out differently, the ordinary way is used.
    """
    import holidays  # noqa: PLC0415 - deferred, see above

    with _COUNTRY_LOCK:  # gthread workers: load the module once
        try:
            module = _country_module()
        except (ImportError, OSError, StopIteration, TypeError, ValueError):
            module = None
    if module is None:
        return getattr(holidays, COUNTRY)
    return getattr(module, COUNTRY)


def _country_module() -> Any:
    """`holidays.countries.<COUNTRY's module>`, executed without its package's `__init__`."""
    from holidays.registry import COUNTRIES  # noqa: PLC0415 - deferred, see above

    name = next(
        f"holidays.countries.{module}" for module, codes in COUNTRIES.items() if COUNTRY in codes
    )
    if name in sys.modules:
        return sys.modules[name]
    package = importlib.util.find_spec("holidays.countries")
    folder = next(iter(package.submodule_search_locations or ())) if package else ""
    path = Path(folder) / f"{name.rsplit('.', 1)[1]}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    if not path.is_file() or spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


@functools.lru_cache(maxsize=64)
def package_holidays(year: int) -> frozenset[dt.date]:
    """The Saudi public holidays of one year according to the `holidays` package (cached)."""
    return frozenset(_country_holidays_class()(years=year).keys())


def _parse_time(value: str | dt.time) -> dt.time:
    if isinstance(value, dt.time):
        return value
    return dt.time.fromisoformat(value)


def business_timezone() -> ZoneInfo:
    """The business timezone (`TIME_ZONE`, from `DJANGO_TIME_ZONE`): clocks, sweeps, schedule, screen."""
    return ZoneInfo(settings.TIME_ZONE)


def business_week() -> tuple[frozenset[int], dt.time, dt.time]:
    """The declared working week: Python weekday numbers, and the day's opening and closing times."""
    return (
        frozenset(settings.DEALIX_SLA_WORKDAYS),
        _parse_time(settings.DEALIX_SLA_DAY_START),
        _parse_time(settings.DEALIX_SLA_DAY_END),
    )


def holidays_between(first_year: int, last_year: int) -> frozenset[dt.date]:
    """Days off from `first_year` to `last_year` inclusive: the package's, plus/minus overrides."""
    days: set[dt.date] = set()
    for year in range(first_year, last_year + 1):
        days |= package_holidays(year)
    overrides = HolidayOverride.objects.filter(
        date__gte=dt.date(first_year, 1, 1), date__lte=dt.date(last_year, 12, 31)
    ).values_list("date", "closed")
    for day, closed in overrides:
        if closed:
            days.add(day)
        else:
            days.discard(day)
    return frozenset(days)


def working_calendar(*, years: Iterable[int]) -> WorkingCalendar:
    """The working calendar covering `years` (holidays outside them are not known to it)."""
    wanted = sorted(set(years))
    if not wanted:
        raise InvalidValue("years", "at least one year is needed")
    first, last = dt.date(wanted[0], 1, 1), dt.date(wanted[-1], 12, 31)
    return WorkingCalendar(
        tz=business_timezone().key,
        week=working_week(),
        holidays=holidays_between(wanted[0], wanted[-1]),
        periods=special_periods(first=first, last=last),
    )


def calendar_for_span(start: dt.datetime, end: dt.datetime) -> WorkingCalendar:
    """A calendar for clocks running from `start` until `end`, plus a year of projections."""
    first, last = sorted((start.year, end.year))
    return working_calendar(years=range(first, last + 2))


# ── The week, the periods and the version founders edit ─────────────────────────────────────────
def declared_week() -> Week:
    """The week of the declared settings (one window a working day)."""
    workdays, day_start, day_end = business_week()
    return week_of_hours(workdays, day_start, day_end)


def calendar_state() -> WorkingCalendarState | None:
    """The stored week and version (None before any founder changed the calendar)."""
    return WorkingCalendarState.objects.filter(pk=CALENDAR_STATE_ID).first()


def calendar_version() -> int:
    """The calendar's current version (0 before any change); forms send it back with an edit."""
    state = calendar_state()
    return state.version if state else 0


def working_week(state: WorkingCalendarState | None = None) -> Week:
    """The week in force: the founders' stored week, else the declared settings'."""
    if state is None:
        state = calendar_state()
    if state is None or state.week is None:
        return declared_week()
    return week_from_data(state.week)


def period_from_row(row: CalendarPeriod) -> SpecialPeriod:
    """The domain value of a stored period."""
    return SpecialPeriod(
        name=row.name,
        start=row.starts_on,
        end=row.ends_on,
        windows=tuple(parse_window("windows", value) for value in row.windows),
        weekdays=frozenset(int(day) for day in row.weekdays),
    )


def calendar_periods(
    *, first: dt.date | None = None, last: dt.date | None = None
) -> list[CalendarPeriod]:
    """The stored special periods sharing a day with [first, last] (all when not given)."""
    rows = CalendarPeriod.objects.order_by("starts_on", "pk")
    if first is not None:
        rows = rows.filter(ends_on__gte=first)
    if last is not None:
        rows = rows.filter(starts_on__lte=last)
    return list(rows)


def special_periods(*, first: dt.date, last: dt.date) -> tuple[SpecialPeriod, ...]:
    """The special periods sharing a day with [first, last], as domain values."""
    return tuple(period_from_row(row) for row in calendar_periods(first=first, last=last))


# ── Holidays of a year, with where each comes from ──────────────────────────────────────────────
@dataclass(frozen=True, slots=True)
class PackageHoliday:
    name_ar: str
    name_en: str
    estimated: bool


@functools.lru_cache(maxsize=16)
def package_holiday_details(year: int) -> dict[dt.date, PackageHoliday]:
    """The package's holidays of one year with Arabic and English names, estimates marked (cached).

    The package marks a religious holiday computed from the Hijri calendar, not yet confirmed by
    its maintainers, only when asked to (`islamic_show_estimated`): the names then differ.
    """
    country = _country_holidays_class()
    arabic = country(years=year)
    marked = country(years=year, islamic_show_estimated=True)
    english = country(years=year, language="en_US")
    return {
        day: PackageHoliday(
            name_ar=str(name),
            name_en=str(english.get(day, name)),
            estimated=str(marked.get(day, name)) != str(name),
        )
        for day, name in sorted(arabic.items())
    }


@dataclass(frozen=True, slots=True)
class HolidayDay:
    """One day of the year's holiday list: the package's, a founder's, or both."""

    date: dt.date
    name: str
    name_en: str
    closed: bool
    source: HolidaySource
    note: str
    package_name: str  # what the package calls the day ("" when it does not list it)
    announced_by: str

    @property
    def needs_confirmation(self) -> bool:
        return self.source is HolidaySource.ESTIMATE


def holidays_of_year(year: int) -> list[HolidayDay]:
    """The year's holidays: the package's days (estimates marked) with the founders' overrides."""
    package = package_holiday_details(year)
    overrides = {
        row.date: row
        for row in HolidayOverride.objects.filter(date__year=year).select_related("created_by")
    }
    days: list[HolidayDay] = []
    for day in sorted(set(package) | set(overrides)):
        listed, override = package.get(day), overrides.get(day)
        if override is not None:
            days.append(
                HolidayDay(
                    date=day,
                    name=override.name,
                    name_en=override.name,
                    closed=override.closed,
                    source=HolidaySource.ANNOUNCED,
                    note=override.note,
                    package_name=listed.name_ar if listed else "",
                    announced_by=override.created_by.get_username() if override.created_by else "",
                )
            )
        elif listed is not None:
            days.append(
                HolidayDay(
                    date=day,
                    name=listed.name_ar,
                    name_en=listed.name_en,
                    closed=True,
                    source=HolidaySource.ESTIMATE if listed.estimated else HolidaySource.PACKAGE,
                    note="",
                    package_name=listed.name_ar,
                    announced_by="",
                )
            )
    return days


def holiday_names_between(first: dt.date, last: dt.date) -> dict[dt.date, str]:
    """The name of each closed holiday from `first` to `last` (for "the days it skipped")."""
    names: dict[dt.date, str] = {}
    for year in range(first.year, last.year + 1):
        for day in holidays_of_year(year):
            if day.closed and first <= day.date <= last:
                names[day.date] = day.name
    return names


@dataclass(frozen=True, slots=True)
class EstimateReminder:
    """An estimated religious holiday no founder has confirmed or moved, coming up soon."""

    name: str
    name_en: str
    first_day: dt.date
    days: int
    days_left: int


def unconfirmed_estimates(
    *, today: dt.date, within_days: int = ESTIMATE_REMINDER_DAYS
) -> list[EstimateReminder]:
    """Estimated holidays from `today` to `within_days` ahead, one entry per occasion.

    An occasion is a run of estimated days at most two days apart (Eid and its observed days).
    """
    last = today + dt.timedelta(days=within_days)
    days = [
        day
        for year in range(today.year, last.year + 1)
        for day in holidays_of_year(year)
        if day.needs_confirmation and today <= day.date <= last
    ]
    reminders: list[EstimateReminder] = []
    previous: dt.date | None = None
    for day in days:
        if previous is not None and (day.date - previous).days <= 2:
            first = reminders[-1]
            reminders[-1] = EstimateReminder(
                first.name, first.name_en, first.first_day, first.days + 1, first.days_left
            )
        else:
            reminders.append(
                EstimateReminder(day.name, day.name_en, day.date, 1, (day.date - today).days)
            )
        previous = day.date
    return reminders


# ── Which calendar a ticket's due times used ───────────────────────────────────────────────────
MAX_SKIPPED_SHOWN = 40


@dataclass(frozen=True, slots=True)
class DueCalendar:
    """How a ticket's due times were counted: 24/7 or working hours, and the days skipped."""

    working_hours: bool
    timezone: str
    weekend_days: int
    holidays: list[tuple[dt.date, str]]
    period_days_off: list[dt.date]
    periods: list[str]


def due_time_calendar(*, sla: TicketSla, opened_at: dt.datetime) -> DueCalendar:
    """The calendar behind a ticket's two due times (days between opening and the later one)."""
    zone = business_timezone().key
    if sla.basis is not ClockBasis.WORKING_HOURS:
        return DueCalendar(False, zone, 0, [], [], [])
    calendar = sla.calendar
    end = max(sla.first_response.due_at, sla.resolution.due_at, opened_at)
    skipped = calendar.skipped_days(opened_at, end)[:MAX_SKIPPED_SHOWN]
    holiday_days = [entry.day for entry in skipped if entry.reason is SkipReason.HOLIDAY]
    names = holiday_names_between(holiday_days[0], holiday_days[-1]) if holiday_days else {}
    return DueCalendar(
        working_hours=True,
        timezone=calendar.tz,
        weekend_days=sum(1 for entry in skipped if entry.reason is SkipReason.WEEKEND),
        holidays=[(day, names.get(day, "")) for day in holiday_days],
        period_days_off=[entry.day for entry in skipped if entry.reason is SkipReason.PERIOD],
        periods=[period.name for period in calendar.periods_between(opened_at, end)],
    )
