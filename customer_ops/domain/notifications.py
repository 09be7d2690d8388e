"""What a notification points at: a typed target, never a URL string to be parsed back.

A notification about a ticket carries the ticket's id, one about the SLA report its period, and so
on; the console builds the link from the target, and the sweeps recognise "already notified" by
the same target. The model stores each kind in its own column (foreign keys for rows), and a
database constraint ties the columns that are set to the kind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class TargetKind(StrEnum):
    NONE = "none"
    TICKET = "ticket"
    INCIDENT = "incident"
    CUSTOMER = "customer"
    TOUCHPOINT = "touchpoint"
    SLA_REPORT = "sla_report"
    MY_TICKETS = "my_tickets"


@dataclass(frozen=True, slots=True)
class NotificationTarget:
    """One target; build it with the class methods so only the kind's own fields are set."""

    kind: TargetKind = TargetKind.NONE
    ticket_id: int | None = None
    incident_id: int | None = None
    customer_id: int | None = None
    touchpoint_id: int | None = None
    # The touchpoint's due day (one notice a day), or the SLA report's period.
    day: dt.date | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None

    @classmethod
    def ticket(cls, ticket_id: int) -> NotificationTarget:
        return cls(TargetKind.TICKET, ticket_id=ticket_id)

    @classmethod
    def incident(cls, incident_id: int) -> NotificationTarget:
        return cls(TargetKind.INCIDENT, incident_id=incident_id)

    @classmethod
    def customer(cls, customer_id: int) -> NotificationTarget:
        return cls(TargetKind.CUSTOMER, customer_id=customer_id)

    @classmethod
    def touchpoint(cls, touchpoint_id: int, *, day: dt.date) -> NotificationTarget:
        return cls(TargetKind.TOUCHPOINT, touchpoint_id=touchpoint_id, day=day)

    @classmethod
    def my_tickets(cls) -> NotificationTarget:
        """The recipient's own tickets in the queue (several tickets at once)."""
        return cls(TargetKind.MY_TICKETS)

    @classmethod
    def sla_report(cls, *, start: dt.date, end: dt.date) -> NotificationTarget:
        return cls(TargetKind.SLA_REPORT, period_start=start, period_end=end)

    def columns(self) -> dict[str, object]:
        """The stored columns of this target (also the lookup that finds the same target)."""
        return {
            "target_kind": self.kind.value,
            "ticket_id": self.ticket_id,
            "incident_id": self.incident_id,
            "customer_id": self.customer_id,
            "touchpoint_id": self.touchpoint_id,
            "target_day": self.day,
            "period_start": self.period_start,
            "period_end": self.period_end,
        }


# Which columns each kind sets; every other target column stays empty (the model's constraint).
TARGET_COLUMNS: dict[TargetKind, tuple[str, ...]] = {
    TargetKind.NONE: (),
    TargetKind.TICKET: ("ticket",),
    TargetKind.INCIDENT: ("incident",),
    TargetKind.CUSTOMER: ("customer",),
    TargetKind.TOUCHPOINT: ("touchpoint", "target_day"),
    TargetKind.SLA_REPORT: ("period_start", "period_end"),
    TargetKind.MY_TICKETS: (),
}
ALL_TARGET_COLUMNS = tuple(sorted({c for cols in TARGET_COLUMNS.values() for c in cols}))
