"""Writes to the working calendar founders run: holidays, special periods and the week.

Every change, in one transaction:
1. locks the calendar's singleton row and checks the version the editor saw (`expected_version`;
   a stale one is `EditConflict`, 409: two founders editing at once, one wins, the other is told);
2. asks the domain (windows, periods, supported years) and saves;
3. bumps the version and recomputes the open working-hours tickets' clocks (due times and the
   stored columns the queue sorts on); resolved and closed tickets keep their times;
4. writes one ledger row with before/after, and tells each owner whose tickets' due times moved.
Only founders change the calendar; operators read it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from customer_ops.domain.calendar import (
    SpecialPeriod,
    WorkWindow,
    ensure_periods_apart,
    ensure_supported_day,
    week_as_data,
    week_from_data,
)
from customer_ops.domain.errors import EditConflict, InvalidValue, RoleRefused, RuleRefused
from customer_ops.domain.ledger import LedgerVerb
from customer_ops.domain.notifications import NotificationTarget
from customer_ops.models import CalendarPeriod, HolidayOverride, WorkingCalendarState
from customer_ops.roles import SignedInUser, is_founder
from customer_ops.selectors.calendar import (
    business_timezone,
    calendar_periods,
    holidays_of_year,
    period_from_row,
    working_week,
)
from customer_ops.selectors.locks import (
    calendar_period_for_update,
    calendar_state_for_update,
    holiday_override_for_update,
)
from customer_ops.services.ledger import ledger_record
from customer_ops.services.notifications import notify
from customer_ops.services.tickets import DueMove, tickets_recompute_for_calendar_change

NAME_MAX = 200
NOTE_MAX = 500


# ── Shared steps ────────────────────────────────────────────────────────────────────────────────
def _begin(*, actor: SignedInUser | None, expected_version: int | None) -> WorkingCalendarState:
    """Founders only; lock the calendar and refuse an edit made against an older version."""
    if actor is not None and not is_founder(actor):
        raise RoleRefused(
            "only a founder may change the working calendar",
            message_ar="تعديل تقويم العمل للمؤسس فقط",
        )
    state = calendar_state_for_update()
    if expected_version is not None and expected_version != state.version:
        raise EditConflict(
            f"the calendar changed since you opened it (version {expected_version}, now "
            f"{state.version}); reload and try again",
            message_ar="تغيّر التقويم منذ فتحته (عدّله مؤسس آخر)؛ أعد تحميل الصفحة وحاول مجدداً",
        )
    return state


def _finish(
    state: WorkingCalendarState,
    *,
    verb: LedgerVerb,
    actor: SignedInUser | None,
    now: dt.datetime,
    before: dict[str, Any],
    after: dict[str, Any],
    until: dt.date | None,
    note: str = "",
) -> list[DueMove]:
    """Bump the version, move the open tickets' clocks, write the ledger row, tell the owners."""
    state.version += 1
    state.updated_at = now
    state.updated_by = actor if actor is not None and actor.is_authenticated else None
    state.save(update_fields=["version", "updated_at", "updated_by"])
    moves = tickets_recompute_for_calendar_change(now=now, until=until)
    ledger_record(
        verb=verb,
        obj=state,
        actor=actor,
        at=now,
        before=before,
        after={**after, "version": state.version, "tickets_moved": len(moves)},
        note=note,
    )
    _tell_owners(moves, now=now)
    return moves


def _tell_owners(moves: Iterable[DueMove], *, now: dt.datetime) -> None:
    """One notification per owner, listing their tickets whose due time moved."""
    by_owner: dict[int, list[DueMove]] = defaultdict(list)
    for move in moves:
        if move.assignee_id is not None:
            by_owner[move.assignee_id].append(move)
    if not by_owner:
        return
    zone = business_timezone()

    def when(moment: dt.datetime | None) -> str:
        return f"{moment.astimezone(zone):%Y-%m-%d %H:%M}" if moment else "—"

    users = get_user_model().objects.in_bulk(list(by_owner))
    for owner_id, owned in sorted(by_owner.items()):
        user = users.get(owner_id)
        if user is None or not user.is_active:
            continue
        lines = [
            f"#{m.ticket_id} {m.subject[:80]}: {when(m.before)} ← {when(m.after)}" for m in owned
        ]
        notify(
            recipients=[user],
            kind="calendar_due_moved",
            title=f"تغيّر تقويم العمل فتغيّر موعد {len(owned)} من تذاكرك",
            body="\n".join(lines),
            target=(
                NotificationTarget.ticket(owned[0].ticket_id)
                if len(owned) == 1
                else NotificationTarget.my_tickets()
            ),
            now=now,
        )


def _local_today(now: dt.datetime) -> dt.date:
    return now.astimezone(business_timezone()).date()


def _clean_name(name: str, *, field: str = "name") -> str:
    cleaned = name.strip()
    if not cleaned:
        raise InvalidValue(field, "a name is needed", message_ar="الاسم مطلوب")
    return cleaned[:NAME_MAX]


def _holiday_values(override: HolidayOverride | None) -> dict[str, Any]:
    if override is None:
        return {}
    return {
        "date": override.date,
        "name": override.name,
        "closed": override.closed,
        "note": override.note,
    }


def _package_day(day: dt.date) -> Any:
    """The year's listing of `day` (package and founders), or None."""
    return next((entry for entry in holidays_of_year(day.year) if entry.date == day), None)


def _save_override(
    day: dt.date,
    *,
    current: HolidayOverride | None,
    name: str,
    closed: bool,
    note: str,
    actor: SignedInUser | None,
) -> HolidayOverride:
    override = current or HolidayOverride(
        date=day, created_by=actor if actor is not None and actor.is_authenticated else None
    )
    override.name, override.closed, override.note = name, closed, note.strip()[:NOTE_MAX]
    override.save()
    return override


# ── Holidays ────────────────────────────────────────────────────────────────────────────────────
@transaction.atomic
def holiday_override_set(
    *,
    date: dt.date,
    name: str,
    closed: bool = True,
    note: str = "",
    actor: SignedInUser | None,
    now: dt.datetime,
    expected_version: int | None = None,
) -> HolidayOverride:
    """Announce a day off (or a working day) and move the open tickets' working-hours clocks."""
    state = _begin(actor=actor, expected_version=expected_version)
    ensure_supported_day(date, today=_local_today(now))
    cleaned = _clean_name(name)
    current = holiday_override_for_update(day=date)
    before = _holiday_values(current)
    override = _save_override(
        date, current=current, name=cleaned, closed=closed, note=note, actor=actor
    )
    _finish(
        state,
        verb=LedgerVerb.SLA_HOLIDAY_SET,
        actor=actor,
        now=now,
        before=before,
        after=_holiday_values(override),
        until=date,
    )
    return override


@transaction.atomic
def holiday_confirm(
    *,
    date: dt.date,
    note: str = "",
    actor: SignedInUser | None,
    now: dt.datetime,
    expected_version: int | None = None,
) -> HolidayOverride:
    """Confirm the package's (estimated) holiday on `date` as announced; the day stays off."""
    state = _begin(actor=actor, expected_version=expected_version)
    ensure_supported_day(date, today=_local_today(now))
    listed = _package_day(date)
    if listed is None or not listed.package_name:
        raise RuleRefused(
            f"the package lists no holiday on {date.isoformat()} to confirm",
            field="date",
            message_ar=f"لا توجد عطلة مقدّرة في {date.isoformat()} لتأكيدها",
        )
    current = holiday_override_for_update(day=date)
    before = _holiday_values(current)
    override = _save_override(
        date,
        current=current,
        name=listed.package_name,
        closed=True,
        note=note or "confirmed",
        actor=actor,
    )
    _finish(
        state,
        verb=LedgerVerb.SLA_HOLIDAY_CONFIRMED,
        actor=actor,
        now=now,
        before=before,
        after=_holiday_values(override),
        until=date,
    )
    return override


@transaction.atomic
def holiday_move(
    *,
    date: dt.date,
    to: dt.date,
    note: str = "",
    actor: SignedInUser | None,
    now: dt.datetime,
    expected_version: int | None = None,
) -> HolidayOverride:
    """Move the holiday on `date` to `to` (an Eid announced a day later than estimated)."""
    state = _begin(actor=actor, expected_version=expected_version)
    today = _local_today(now)
    ensure_supported_day(date, today=today)
    ensure_supported_day(to, today=today, field="to")
    listed, target = _package_day(date), _package_day(to)
    if listed is None or not listed.closed:
        raise RuleRefused(
            f"there is no holiday on {date.isoformat()} to move",
            field="date",
            message_ar=f"لا توجد عطلة في {date.isoformat()} لنقلها",
        )
    if to == date or (target is not None and target.closed):
        raise RuleRefused(
            f"{to.isoformat()} is already a holiday",
            field="to",
            message_ar=f"يوم {to.isoformat()} عطلة أصلاً",
        )
    current, landing = holiday_override_for_update(day=date), holiday_override_for_update(day=to)
    before = {"from": _holiday_values(current), "to": _holiday_values(landing)}
    moved_note = note.strip() or f"moved from {date.isoformat()}"
    if listed.package_name:
        # The package still lists the old day: an announced working day hides it.
        left = _save_override(
            date,
            current=current,
            name=listed.name,
            closed=False,
            note=f"moved to {to.isoformat()}",
            actor=actor,
        )
        left_values = _holiday_values(left)
    else:
        if current is not None:
            current.delete()
        left_values = {}
    arrived = _save_override(
        to, current=landing, name=listed.name, closed=True, note=moved_note, actor=actor
    )
    _finish(
        state,
        verb=LedgerVerb.SLA_HOLIDAY_MOVED,
        actor=actor,
        now=now,
        before=before,
        after={"from": left_values, "to": _holiday_values(arrived)},
        until=max(date, to),
    )
    return arrived


@transaction.atomic
def holiday_override_clear(
    *,
    date: dt.date,
    actor: SignedInUser | None,
    now: dt.datetime,
    expected_version: int | None = None,
) -> None:
    """Remove a founder's announcement for `date`: the package's listing applies again."""
    state = _begin(actor=actor, expected_version=expected_version)
    current = holiday_override_for_update(day=date)
    if current is None:
        raise RuleRefused(
            f"there is no announcement on {date.isoformat()} to withdraw",
            field="date",
            message_ar=f"لا يوجد إعلان في {date.isoformat()} لإلغائه",
        )
    before = _holiday_values(current)
    current.delete()
    _finish(
        state,
        verb=LedgerVerb.SLA_HOLIDAY_CLEARED,
        actor=actor,
        now=now,
        before=before,
        after={"date": date},
        until=date,
    )


# ── Special periods ─────────────────────────────────────────────────────────────────────────────
def _period_values(row: CalendarPeriod) -> dict[str, Any]:
    return {
        "id": row.pk,
        "name": row.name,
        "start": row.starts_on,
        "end": row.ends_on,
        "weekdays": row.weekdays,
        "windows": row.windows,
        "note": row.note,
    }


@transaction.atomic
def special_period_create(
    *,
    name: str,
    start: dt.date,
    end: dt.date,
    windows: Iterable[WorkWindow],
    weekdays: Iterable[int] | None = None,
    note: str = "",
    actor: SignedInUser | None,
    now: dt.datetime,
    expected_version: int | None = None,
) -> CalendarPeriod:
    """Add a special period (e.g. Ramadan 21:00–02:00) and move the open tickets' clocks.

    Its weekdays default to the days the week works on.
    """
    state = _begin(actor=actor, expected_version=expected_version)
    today = _local_today(now)
    ensure_supported_day(start, today=today, field="start")
    ensure_supported_day(end, today=today, field="end")
    if weekdays is None:
        weekdays = [day for day, day_windows in enumerate(working_week(state)) if day_windows]
    period = SpecialPeriod(
        name=_clean_name(name),
        start=start,
        end=end,
        windows=tuple(windows),
        weekdays=frozenset(weekdays),
    )
    ensure_periods_apart([*(period_from_row(row) for row in calendar_periods()), period])
    row = CalendarPeriod.objects.create(
        name=period.name,
        starts_on=period.start,
        ends_on=period.end,
        weekdays=sorted(period.weekdays),
        windows=[[f"{w.start:%H:%M}", f"{w.end:%H:%M}"] for w in period.windows],
        note=note.strip()[:NOTE_MAX],
        created_by=actor if actor is not None and actor.is_authenticated else None,
        created_at=now,
        updated_at=now,
    )
    _finish(
        state,
        verb=LedgerVerb.SLA_PERIOD_CREATED,
        actor=actor,
        now=now,
        before={},
        after=_period_values(row),
        until=period.end + dt.timedelta(days=1),  # its last evening runs past midnight
    )
    return row


@transaction.atomic
def special_period_delete(
    *,
    period_id: int,
    actor: SignedInUser | None,
    now: dt.datetime,
    expected_version: int | None = None,
) -> None:
    """Remove a special period: the week applies on its dates again."""
    state = _begin(actor=actor, expected_version=expected_version)
    row = calendar_period_for_update(period_id=period_id)
    before = _period_values(row)
    until = row.ends_on + dt.timedelta(days=1)
    row.delete()
    _finish(
        state,
        verb=LedgerVerb.SLA_PERIOD_DELETED,
        actor=actor,
        now=now,
        before=before,
        after={},
        until=until,
    )


# ── The week ────────────────────────────────────────────────────────────────────────────────────
@transaction.atomic
def working_week_set(
    *,
    week: Mapping[str, object],
    actor: SignedInUser | None,
    now: dt.datetime,
    expected_version: int | None = None,
) -> WorkingCalendarState:
    """Save the week's windows ({weekday: [[start, end], …]}) and move every open ticket's clocks."""
    state = _begin(actor=actor, expected_version=expected_version)
    before = week_as_data(working_week(state))
    checked = week_from_data(week)
    state.week = week_as_data(checked)
    state.save(update_fields=["week"])
    _finish(
        state,
        verb=LedgerVerb.SLA_WEEK_SET,
        actor=actor,
        now=now,
        before={"week": before},
        after={"week": state.week},
        until=None,
    )
    return state
