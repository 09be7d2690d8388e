"""Admin, in Arabic. Drafts and the ledger are read-only here: changes go through services only."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from customer_ops.models import (
    CheckIn,
    Customer,
    HolidayOverride,
    Incident,
    IncidentTimelineEntry,
    LedgerEntry,
    Notification,
    OutboundDraft,
    ProofPackDelivery,
    SlaEvent,
    SlaVerdictNotice,
    SuccessPlan,
    Ticket,
)
from customer_ops.selectors.notifications import notifications_for


class ReadOnlyAdmin(admin.ModelAdmin):
    """No add, change or delete: the row's history must come from the services and the ledger."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin):
    list_display = ["company_name", "bundle", "sector", "city", "status", "renewal_on"]
    list_filter = ["bundle", "status", "city"]
    search_fields = ["company_name", "contact_email"]


@admin.register(OutboundDraft)
class OutboundDraftAdmin(ReadOnlyAdmin):
    list_display = ["id", "customer", "channel", "to", "status", "author", "approved_by", "sent_at"]
    list_filter = ["status", "channel", "source"]
    search_fields = ["to", "subject"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "verb", "object_type", "object_id", "actor", "actor_label"]
    list_filter = ["verb", "object_type"]
    search_fields = ["object_id", "verb"]


# ── Operations (issue #6): read-only; tickets, incidents and plans change through services ─────
@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["id", "customer", "priority", "status", "subject", "next_due_at", "assignee"]
    list_filter = ["priority", "status", "channel", "first_response_breached"]
    search_fields = ["subject", "customer__company_name"]
    list_select_related = ["customer", "assignee"]


@admin.register(SlaEvent)
class SlaEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "ticket", "event", "actor", "actor_label"]
    list_filter = ["event"]
    list_select_related = ["ticket", "actor"]


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(ReadOnlyAdmin):
    list_display = ["date", "name", "closed"]


@admin.register(SlaVerdictNotice)
class SlaVerdictNoticeAdmin(ReadOnlyAdmin):
    list_display = ["period_from", "period_to", "verdict", "breach_rate", "notified_at"]


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "severity", "status", "declared_at", "next_update_due_at"]
    list_filter = ["severity", "status", "has_data_leak"]
    search_fields = ["title"]


@admin.register(IncidentTimelineEntry)
class IncidentTimelineEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "incident", "kind", "actor"]
    list_filter = ["kind"]
    list_select_related = ["incident", "actor"]


@admin.register(SuccessPlan)
class SuccessPlanAdmin(ReadOnlyAdmin):
    list_display = ["customer", "bundle", "start_on", "created_at"]
    list_select_related = ["customer"]


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    list_display = ["customer", "week_start", "created_at"]
    list_select_related = ["customer"]


@admin.register(ProofPackDelivery)
class ProofPackDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["customer", "title", "delivered_at"]
    list_select_related = ["customer"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at"]
    list_filter = ["kind"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Notification]:
        # A notification is its recipient's alone, in the admin as in the console: staff
        # status (every seeded operator has it) must not open everyone else's.
        return notifications_for(user=request.user)
