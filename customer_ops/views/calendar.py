"""The working calendar screen: founders edit the week, holidays and special periods; operators read.

Each form posts with htmx and gets the `calendar-body` region back: 200 after a change (with
`calendar-changed` for other regions), 422 with the refusal on the form — a bad window, an
overlap, a year out of range, or a calendar another founder changed since the page loaded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from customer_ops.access import StaffRequest, founder_required, staff_required
from customer_ops.domain.calendar import (
    SAUDI_WEEK_ORDER,
    WEEKDAY_NAMES_AR,
    WEEKDAY_NAMES_EN,
    parse_window,
    supported_years,
)
from customer_ops.forms import (
    HolidayDateForm,
    HolidayForm,
    HolidayMoveForm,
    PeriodDeleteForm,
    PeriodForm,
    WeekForm,
    split_windows,
)
from customer_ops.roles import is_founder
from customer_ops.selectors.calendar import (
    business_timezone,
    calendar_periods,
    calendar_state,
    holidays_of_year,
    working_week,
)
from customer_ops.services.calendar import (
    holiday_confirm,
    holiday_move,
    holiday_override_clear,
    holiday_override_set,
    special_period_create,
    special_period_delete,
    working_week_set,
)
from customer_ops.views.actions import region, submit
from dealix.http import HtmxHttpRequest

PAGE = "customer_ops/calendar/page.html"


def _weekday_names() -> tuple[str, ...]:
    return WEEKDAY_NAMES_AR if (get_language() or "ar").startswith("ar") else WEEKDAY_NAMES_EN


def _week_days() -> tuple[tuple[int, str], ...]:
    names = _weekday_names()
    return tuple((day, names[day]) for day in SAUDI_WEEK_ORDER)


def _today() -> dt.date:
    return timezone.now().astimezone(business_timezone()).date()


def _year(request: HtmxHttpRequest) -> int:
    years = supported_years(_today())
    raw = request.GET.get("year") or request.POST.get("year") or ""
    return int(raw) if raw.isdigit() and int(raw) in years else _today().year


def calendar_context(request: StaffRequest, **forms_given: Any) -> dict[str, Any]:
    """What the calendar screen shows; an action re-renders it with its bound form."""
    state = calendar_state()
    version = state.version if state else 0
    week = working_week(state)
    names = _weekday_names()
    year = _year(request)
    initial = {"version": version}
    week_initial = {
        **initial,
        **{
            f"day_{day}": ", ".join(w.label.replace("–", "-") for w in week[day])
            for day in range(7)
        },
    }
    return {
        "version": version,
        "year": year,
        "years": list(supported_years(_today())),
        "timezone": business_timezone().key,
        "week_source": "founders" if state and state.week is not None else "declared",
        "week": [(day, names[day], week[day]) for day in SAUDI_WEEK_ORDER],
        "holidays": holidays_of_year(year),
        "periods": [(row, [names[int(day)] for day in row.weekdays]) for row in calendar_periods()],
        "can_edit": is_founder(request.user),
        "holiday_form": forms_given.get("holiday_form") or HolidayForm(initial=initial),
        "period_form": forms_given.get("period_form") or PeriodForm(initial=initial),
        "week_form": forms_given.get("week_form")
        or WeekForm(initial=week_initial, week_days=_week_days()),
        "row_error": forms_given.get("row_error", ""),
        "saved": forms_given.get("saved", ""),
    }


@staff_required
@require_GET
@vary_on_headers("HX-Request")
def calendar_page(request: StaffRequest) -> HttpResponse:
    template_name = PAGE + "#calendar-body" if request.htmx else PAGE
    return render(request, template_name, calendar_context(request))


def _run(
    request: StaffRequest,
    form: forms.Form,
    form_name: str,
    action: Callable[[dict[str, Any]], object],
    saved: str,
) -> HttpResponse:
    """Validate the form, make the one service call, and answer with the calendar body.

    The row forms (confirm, move, clear, delete) are buttons in a table: their refusal shows
    above it; the three edit forms show theirs on their fields.
    """
    done = submit(form, action)
    row_error = "" if form_name in {"holiday_form", "period_form", "week_form"} else done.error
    return region(
        request,
        PAGE + "#calendar-body",
        lambda: calendar_context(
            request,
            saved="" if done.error else saved,
            row_error=row_error,
            **({} if done.done else {form_name: form}),
        ),
        back=reverse("calendar"),
        error=done.error,
        events=("calendar-changed",),
    )


@founder_required
@require_POST
def calendar_holiday_set(request: StaffRequest) -> HttpResponse:
    form = HolidayForm(request.POST)
    return _run(
        request,
        form,
        "holiday_form",
        lambda data: holiday_override_set(
            date=data["date"],
            name=data["name"],
            closed=data["closed"],
            note=data["note"],
            actor=request.user,
            now=timezone.now(),
            expected_version=data["version"],
        ),
        _("حُفظت العطلة وأُعيد حساب مواعيد التذاكر المفتوحة."),
    )


@founder_required
@require_POST
def calendar_holiday_confirm(request: StaffRequest) -> HttpResponse:
    form = HolidayDateForm(request.POST)
    return _run(
        request,
        form,
        "confirm_form",
        lambda data: holiday_confirm(
            date=data["date"],
            actor=request.user,
            now=timezone.now(),
            expected_version=data["version"],
        ),
        _("أُكّد موعد العطلة."),
    )


@founder_required
@require_POST
def calendar_holiday_move(request: StaffRequest) -> HttpResponse:
    form = HolidayMoveForm(request.POST)
    return _run(
        request,
        form,
        "move_form",
        lambda data: holiday_move(
            date=data["date"],
            to=data["to"],
            note=data["note"],
            actor=request.user,
            now=timezone.now(),
            expected_version=data["version"],
        ),
        _("نُقلت العطلة وأُعيد حساب مواعيد التذاكر المفتوحة."),
    )


@founder_required
@require_POST
def calendar_holiday_clear(request: StaffRequest) -> HttpResponse:
    form = HolidayDateForm(request.POST)
    return _run(
        request,
        form,
        "clear_form",
        lambda data: holiday_override_clear(
            date=data["date"],
            actor=request.user,
            now=timezone.now(),
            expected_version=data["version"],
        ),
        _("أُلغي الإعلان؛ يعود تقدير التقويم."),
    )


@founder_required
@require_POST
def calendar_period_create(request: StaffRequest) -> HttpResponse:
    form = PeriodForm(request.POST)
    return _run(
        request,
        form,
        "period_form",
        lambda data: special_period_create(
            name=data["name"],
            start=data["start"],
            end=data["end"],
            windows=[parse_window("windows", pair) for pair in split_windows(data["windows"])],
            note=data["note"],
            actor=request.user,
            now=timezone.now(),
            expected_version=data["version"],
        ),
        _("أُضيفت الفترة الخاصة وأُعيد حساب مواعيد التذاكر المفتوحة."),
    )


@founder_required
@require_POST
def calendar_period_delete(request: StaffRequest, period_id: int) -> HttpResponse:
    form = PeriodDeleteForm(request.POST)
    return _run(
        request,
        form,
        "delete_form",
        lambda data: special_period_delete(
            period_id=period_id,
            actor=request.user,
            now=timezone.now(),
            expected_version=data["version"],
        ),
        _("حُذفت الفترة الخاصة."),
    )


@founder_required
@require_POST
def calendar_week_set(request: StaffRequest) -> HttpResponse:
    form = WeekForm(request.POST, week_days=_week_days())
    return _run(
        request,
        form,
        "week_form",
        lambda data: working_week_set(
            week={
                str(day): split_windows(data[f"day_{day}"])
                for day in range(7)
                if data.get(f"day_{day}")
            },
            actor=request.user,
            now=timezone.now(),
            expected_version=data["version"],
        ),
        _("حُفظ أسبوع العمل وأُعيد حساب مواعيد التذاكر المفتوحة."),
    )
