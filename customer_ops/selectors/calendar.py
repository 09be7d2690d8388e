"""Reads of the working calendar of the P2/P3 SLA clocks: the package's holidays plus the overrides.

Default: Sunday–Thursday, 09:00–17:00 in the business timezone, minus the Saudi public holidays of
the `holidays` package, adjusted by the `HolidayOverride` table (Eid breaks are announced each year
and may differ from the package's estimate). The timezone and the week are declared settings
(`TIME_ZONE`, `DEALIX_SLA_WORKDAYS`, `DEALIX_SLA_DAY_START`, `DEALIX_SLA_DAY_END`, all from the
environment) read only through `business_timezone()` and `business_week()`.

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
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from customer_ops.domain.errors import InvalidValue
from customer_ops.domain.sla import WorkingCalendar
from customer_ops.models import HolidayOverride

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
    workdays, day_start, day_end = business_week()
    return WorkingCalendar(
        tz=business_timezone().key,
        workdays=workdays,
        day_start=day_start,
        day_end=day_end,
        holidays=holidays_between(wanted[0], wanted[-1]),
    )


def calendar_for_span(start: dt.datetime, end: dt.datetime) -> WorkingCalendar:
    """A calendar for clocks running from `start` until `end`, plus a year of projections."""
    first, last = sorted((start.year, end.year))
    return working_calendar(years=range(first, last + 2))
