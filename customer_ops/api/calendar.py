"""The working calendar API (/api/v1/calendar/…): staff read it, founders change it.

`GET calendar/` gives the week, the holidays of a year (`?year=`) with where each comes from, the
special periods and the version. Each write is one service call; it recomputes the open tickets'
clocks, so the ticket API's due times move with it. A write may send the `version` it read: when
another founder changed the calendar since, the answer is 409 and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from customer_ops.api.permissions import IsFounder, IsStaffMember, staff_user
from customer_ops.domain.calendar import (
    SAUDI_WEEK_ORDER,
    WEEKDAY_NAMES_AR,
    WEEKDAY_NAMES_EN,
    HolidaySource,
    parse_window,
    supported_years,
)
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
from dealix.api_errors import validated_input, validated_query

VERSION_MAX = 2**31 - 1


# ── Serializers ─────────────────────────────────────────────────────────────────────────────────
class WindowData(serializers.Serializer[Any]):
    """One time window, local "HH:MM"; an end at or before the start runs past midnight."""

    start = serializers.CharField(max_length=5)
    end = serializers.CharField(max_length=5)


class WeekdayOutput(serializers.Serializer[Any]):
    weekday = serializers.IntegerField(help_text="0 Monday … 6 Sunday (Python's weekday)")
    name = serializers.CharField()
    name_en = serializers.CharField()
    windows = WindowData(many=True)


class HolidayOutput(serializers.Serializer[Any]):
    date = serializers.DateField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    closed = serializers.BooleanField()
    source = serializers.ChoiceField(choices=list(HolidaySource))  # type: ignore[assignment]  # a field: the serializer metaclass takes it off the class
    needs_confirmation = serializers.BooleanField()
    note = serializers.CharField()
    package_name = serializers.CharField()


class PeriodOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    start = serializers.DateField(source="starts_on")
    end = serializers.DateField(source="ends_on")
    weekdays = serializers.ListField(child=serializers.IntegerField())
    windows = serializers.SerializerMethodField()
    note = serializers.CharField()

    def get_windows(self, row: Any) -> list[dict[str, str]]:
        return [{"start": start, "end": end} for start, end in row.windows]


class CalendarOutput(serializers.Serializer[Any]):
    version = serializers.IntegerField()
    timezone = serializers.CharField()
    year = serializers.IntegerField()
    supported_years = serializers.ListField(child=serializers.IntegerField())
    week_source = serializers.ChoiceField(choices=["declared", "founders"])
    week = WeekdayOutput(many=True)
    holidays = HolidayOutput(many=True)
    periods = PeriodOutput(many=True)


class CalendarQueryInput(serializers.Serializer[Any]):
    """?year=YYYY (default: this year in the business timezone)."""

    year = serializers.IntegerField(required=False, min_value=1, max_value=9999)


class VersionedInput(serializers.Serializer[Any]):
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=VERSION_MAX,
        help_text="The calendar version the editor saw; 409 when it has changed since.",
    )


class HolidayInput(VersionedInput):
    date = serializers.DateField()
    name = serializers.CharField(max_length=200)
    closed = serializers.BooleanField(default=True, help_text="false: a working day after all")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class HolidayConfirmInput(VersionedInput):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class HolidayMoveInput(VersionedInput):
    to = serializers.DateField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PeriodInput(VersionedInput):
    name = serializers.CharField(max_length=200)
    start = serializers.DateField()
    end = serializers.DateField()
    windows = WindowData(many=True, max_length=6)  # type: ignore[call-arg]  # many=True takes max_length (not in the stubs)
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        required=False,
        max_length=7,
        help_text="0 Monday … 6 Sunday; default: the working days of the week",
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class WeekInput(VersionedInput):
    week = serializers.DictField(
        child=WindowData(many=True, max_length=6),  # type: ignore[call-arg]  # many=True takes max_length (not in the stubs)
        help_text='weekday ("0" Monday … "6" Sunday) → its windows; a day left out is a day off',
    )


class HolidaySavedOutput(serializers.Serializer[Any]):
    date = serializers.DateField()
    name = serializers.CharField()
    closed = serializers.BooleanField()
    note = serializers.CharField()
    version = serializers.IntegerField()


class VersionOutput(serializers.Serializer[Any]):
    version = serializers.IntegerField()


# ── Helpers ─────────────────────────────────────────────────────────────────────────────────────
def week_rows() -> list[dict[str, Any]]:
    """The week in force, Sunday first, each day with its windows (none on a day off)."""
    week = working_week()
    return [
        {
            "weekday": day,
            "name": WEEKDAY_NAMES_AR[day],
            "name_en": WEEKDAY_NAMES_EN[day],
            "windows": [{"start": f"{w.start:%H:%M}", "end": f"{w.end:%H:%M}"} for w in week[day]],
        }
        for day in SAUDI_WEEK_ORDER
    ]


def _day(value: str) -> dt.date:
    """A YYYY-MM-DD path value; anything else names no holiday (404)."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Http404 from None


def _windows(data: list[dict[str, str]], field: str = "windows") -> list[Any]:
    return [parse_window(f"{field}.{index}", window) for index, window in enumerate(data)]


def _version_of() -> dict[str, int]:
    state = calendar_state()
    return {"version": state.version if state else 0}


def _saved(override: Any) -> dict[str, Any]:
    """The stored announcement with the calendar's version after the change."""
    values = {
        "date": override.date,
        "name": override.name,
        "closed": override.closed,
        "note": override.note,
        **_version_of(),
    }
    return dict(HolidaySavedOutput(values).data)


# ── Views ───────────────────────────────────────────────────────────────────────────────────────
class CalendarView(APIView):
    """GET /api/v1/calendar/: the working calendar (staff)."""

    permission_classes = [IsStaffMember]

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="the holidays' year")],
        responses=CalendarOutput,
    )
    def get(self, request: Request) -> Response:
        data = validated_query(CalendarQueryInput, request.query_params)
        today = timezone.now().astimezone(business_timezone()).date()
        years = supported_years(today)
        year = data.get("year", today.year)
        if year not in years:
            raise serializers.ValidationError(
                {"year": [f"choose a year from {years[0]} to {years[-1]}"]}
            )
        state = calendar_state()
        body = {
            "version": state.version if state else 0,
            "timezone": business_timezone().key,
            "year": year,
            "supported_years": list(years),
            "week_source": "founders" if state and state.week is not None else "declared",
            "week": week_rows(),
            "holidays": holidays_of_year(year),
            "periods": calendar_periods(),
        }
        return Response(CalendarOutput(body).data)


class HolidayListView(APIView):
    """POST /api/v1/calendar/holidays/: announce a day off (or a working day); founders."""

    permission_classes = [IsFounder]

    @extend_schema(request=HolidayInput, responses={201: HolidaySavedOutput})
    def post(self, request: Request) -> Response:
        data = validated_input(HolidayInput, request.data)
        override = holiday_override_set(
            date=data["date"],
            name=data["name"],
            closed=data["closed"],
            note=data["note"],
            actor=staff_user(request),
            now=timezone.now(),
            expected_version=data.get("version"),
        )
        return Response(_saved(override), status=status.HTTP_201_CREATED)


class HolidayDetailView(APIView):
    """DELETE /api/v1/calendar/holidays/{date}/: withdraw an announcement; founders."""

    permission_classes = [IsFounder]

    @extend_schema(
        parameters=[OpenApiParameter("version", int, description="the version you saw")],
        responses={200: VersionOutput},
    )
    def delete(self, request: Request, day: str) -> Response:
        data = validated_query(VersionedInput, request.query_params)
        holiday_override_clear(
            date=_day(day),
            actor=staff_user(request),
            now=timezone.now(),
            expected_version=data.get("version"),
        )
        return Response(_version_of())


class HolidayConfirmView(APIView):
    """POST /api/v1/calendar/holidays/{date}/confirm/: the package's estimate is right."""

    permission_classes = [IsFounder]

    @extend_schema(request=HolidayConfirmInput, responses={200: HolidaySavedOutput})
    def post(self, request: Request, day: str) -> Response:
        data = validated_input(HolidayConfirmInput, request.data)
        override = holiday_confirm(
            date=_day(day),
            note=data["note"],
            actor=staff_user(request),
            now=timezone.now(),
            expected_version=data.get("version"),
        )
        return Response(_saved(override))


class HolidayMoveView(APIView):
    """POST /api/v1/calendar/holidays/{date}/move/: the holiday falls on `to` instead."""

    permission_classes = [IsFounder]

    @extend_schema(request=HolidayMoveInput, responses={200: HolidaySavedOutput})
    def post(self, request: Request, day: str) -> Response:
        data = validated_input(HolidayMoveInput, request.data)
        override = holiday_move(
            date=_day(day),
            to=data["to"],
            note=data["note"],
            actor=staff_user(request),
            now=timezone.now(),
            expected_version=data.get("version"),
        )
        return Response(_saved(override))


class PeriodListView(APIView):
    """POST /api/v1/calendar/periods/: add a special period with its own windows; founders."""

    permission_classes = [IsFounder]

    @extend_schema(request=PeriodInput, responses={201: PeriodOutput})
    def post(self, request: Request) -> Response:
        data = validated_input(PeriodInput, request.data)
        row = special_period_create(
            name=data["name"],
            start=data["start"],
            end=data["end"],
            windows=_windows(data["windows"]),
            weekdays=data.get("weekdays"),
            note=data["note"],
            actor=staff_user(request),
            now=timezone.now(),
            expected_version=data.get("version"),
        )
        return Response(PeriodOutput(row).data, status=status.HTTP_201_CREATED)


class PeriodDetailView(APIView):
    """DELETE /api/v1/calendar/periods/{id}/: remove a special period; founders."""

    permission_classes = [IsFounder]

    @extend_schema(
        parameters=[OpenApiParameter("version", int, description="the version you saw")],
        responses={200: VersionOutput},
    )
    def delete(self, request: Request, pk: int) -> Response:
        data = validated_query(VersionedInput, request.query_params)
        special_period_delete(
            period_id=pk,
            actor=staff_user(request),
            now=timezone.now(),
            expected_version=data.get("version"),
        )
        return Response(_version_of())


class WeekView(APIView):
    """PUT /api/v1/calendar/week/: replace the week's windows; founders."""

    permission_classes = [IsFounder]

    @extend_schema(request=WeekInput, responses={200: VersionOutput})
    def put(self, request: Request) -> Response:
        data = validated_input(WeekInput, request.data)
        state = working_week_set(
            week={
                key: [[w["start"], w["end"]] for w in windows]
                for key, windows in data["week"].items()
            },
            actor=staff_user(request),
            now=timezone.now(),
            expected_version=data.get("version"),
        )
        return Response({"version": state.version})
