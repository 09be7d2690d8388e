"""The working calendar of the P2/P3 SLA clocks, and the announced-holiday overrides.

Default: Sunday–Thursday, 09:00–17:00 Asia/Riyadh, minus the Saudi public holidays of the
`holidays` package, adjusted by the `HolidayOverride` table (Eid breaks are announced each year and
may differ from the package's estimate). Configurable through settings, all optional:
`DEALIX_SLA_TIMEZONE` ("Asia/Riyadh"), `DEALIX_SLA_WORKDAYS` (Python weekday numbers, Monday = 0;
default {6, 0, 1, 2, 3}), `DEALIX_SLA_DAY_START` ("09:00"), `DEALIX_SLA_DAY_END` ("17:00").

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

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from customer_ops.domain.errors import InvalidValue
from customer_ops.domain.sla import SUNDAY_TO_THURSDAY, WorkingCalendar
from customer_ops.models import HolidayOverride
from customer_ops.services.ledger import ledger_record

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


def business_timezone() -> str:
    """The timezone of the working week (and of report periods)."""
    return str(getattr(settings, "DEALIX_SLA_TIMEZONE", "Asia/Riyadh"))


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
    return WorkingCalendar(
        tz=business_timezone(),
        workdays=frozenset(getattr(settings, "DEALIX_SLA_WORKDAYS", SUNDAY_TO_THURSDAY)),
        day_start=_parse_time(getattr(settings, "DEALIX_SLA_DAY_START", "09:00")),
        day_end=_parse_time(getattr(settings, "DEALIX_SLA_DAY_END", "17:00")),
        holidays=holidays_between(wanted[0], wanted[-1]),
    )


def calendar_for_span(start: dt.datetime, end: dt.datetime) -> WorkingCalendar:
    """A calendar for clocks running from `start` until `end`, plus a year of projections."""
    first, last = sorted((start.year, end.year))
    return working_calendar(years=range(first, last + 2))


@transaction.atomic
def holiday_override_set(
    *,
    date: dt.date,
    name: str,
    closed: bool = True,
    actor: AbstractBaseUser | None,
    now: dt.datetime,
) -> HolidayOverride:
    """Announce a day off (or a working day) and move the open tickets' working-hours clocks."""
    if not name.strip():
        raise InvalidValue("name", "the occasion needs a name", message_ar="اسم المناسبة مطلوب")
    override = HolidayOverride.objects.select_for_update().filter(date=date).first()
    before = {"name": override.name, "closed": override.closed} if override else {}
    if override is None:
        override = HolidayOverride(date=date, created_by=actor if actor else None)
    override.name = name.strip()[:200]
    override.closed = closed
    override.full_clean()
    override.save()
    ledger_record(
        verb="sla.holiday_set",
        obj=override,
        actor=actor,
        at=now,
        before=before,
        after={"date": date, "name": override.name, "closed": closed},
    )
    # Imported here: the ticket services import this module for the calendar.
    from customer_ops.services.tickets import tickets_recompute_for_calendar_change

    tickets_recompute_for_calendar_change(day=date, now=now)
    return override
