"""The working calendar founders run: the stored week, special periods, and the calendar's version.

Announced holidays are `HolidayOverride` rows (in `tickets.py`, where they began). The
`WorkingCalendarState` row is a singleton: it holds the founders' week (null until one is saved:
the declared settings' week applies) and the version every calendar change bumps under its row
lock, so two founders editing at once cannot both win.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

CALENDAR_STATE_ID = 1


class WorkingCalendarState(models.Model):
    """The calendar's version and the founders' week (weekday → [[start, end], …])."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=CALENDAR_STATE_ID)
    week = models.JSONField(_("أسبوع العمل"), null=True, blank=True)
    version = models.PositiveIntegerField(_("الإصدار"), default=0)
    updated_at = models.DateTimeField(_("حُدّث في"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("حدّثه"),
    )

    class Meta:
        verbose_name = _("تقويم العمل")
        verbose_name_plural = _("تقويم العمل")
        constraints = [
            models.CheckConstraint(
                condition=Q(id=CALENDAR_STATE_ID), name="working_calendar_state_singleton"
            )
        ]

    def __str__(self) -> str:
        return f"calendar v{self.version}"


class CalendarPeriod(models.Model):
    """A special period: a date range (inclusive) with its own windows on its own weekdays."""

    name = models.CharField(_("الاسم"), max_length=200)
    starts_on = models.DateField(_("من"))
    ends_on = models.DateField(_("إلى"))
    weekdays = models.JSONField(_("الأيام"))
    windows = models.JSONField(_("الفترات"))
    note = models.CharField(_("ملاحظة"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("أضافها"),
    )
    created_at = models.DateTimeField(_("أنشئت في"))
    updated_at = models.DateTimeField(_("حُدّثت في"))

    class Meta:
        verbose_name = _("فترة خاصة")
        verbose_name_plural = _("الفترات الخاصة")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="calendar_period_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.starts_on}–{self.ends_on}"
