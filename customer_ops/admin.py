"""Admin, in Arabic. Drafts and the ledger are read-only here: changes go through services only."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from customer_ops.models import Customer, LedgerEntry, OutboundDraft


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
