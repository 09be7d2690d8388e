"""Persisted data. Logic lives in domain/ and services/; models hold data and constraints."""

from customer_ops.models.calendar import CalendarPeriod, WorkingCalendarState
from customer_ops.models.connectors import CustomerConnector
from customer_ops.models.contacts import ContactPoint
from customer_ops.models.customers import Customer
from customer_ops.models.drafts import OutboundDraft
from customer_ops.models.incidents import (
    Incident,
    IncidentPlanStep,
    IncidentPostmortem,
    IncidentTimelineEntry,
)
from customer_ops.models.ledger import LedgerEntry
from customer_ops.models.links import ProgressLink
from customer_ops.models.message_templates import MessageTemplate
from customer_ops.models.messages import (
    MailboxCursor,
    MessageAttachment,
    MessageStatusEvent,
    TicketMessage,
)
from customer_ops.models.notifications import Notification
from customer_ops.models.onboarding import OnboardingStep
from customer_ops.models.scheduling import LiveActionsFreeze, ScheduledRun, WeeklySlaReview
from customer_ops.models.search import SearchEntry
from customer_ops.models.success import CheckIn, ProofPackDelivery, SuccessPlan, SuccessTouchpoint
from customer_ops.models.tickets import HolidayOverride, SlaEvent, SlaVerdictNotice, Ticket
from customer_ops.models.webhooks import WebhookDelivery

__all__ = [
    "CalendarPeriod",
    "CheckIn",
    "ContactPoint",
    "Customer",
    "CustomerConnector",
    "HolidayOverride",
    "Incident",
    "IncidentPlanStep",
    "IncidentPostmortem",
    "IncidentTimelineEntry",
    "LedgerEntry",
    "LiveActionsFreeze",
    "MailboxCursor",
    "MessageAttachment",
    "MessageStatusEvent",
    "MessageTemplate",
    "Notification",
    "ScheduledRun",
    "SearchEntry",
    "WeeklySlaReview",
    "WorkingCalendarState",
    "OnboardingStep",
    "OutboundDraft",
    "ProgressLink",
    "ProofPackDelivery",
    "SlaEvent",
    "SlaVerdictNotice",
    "SuccessPlan",
    "SuccessTouchpoint",
    "Ticket",
    "TicketMessage",
    "WebhookDelivery",
]
