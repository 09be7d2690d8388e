"""The Action Ledger's verbs: every kind of row a service may write, in one enum.

`services.ledger.ledger_record` accepts only these, so a verb cannot be written without being
declared here, and `customer_ops.labels.LEDGER_VERB_LABELS` must label each (a test checks both).
Values are dotted `<area>.<what happened>` codes, stored as they are.
"""

from __future__ import annotations

from enum import StrEnum


class LedgerVerb(StrEnum):
    CUSTOMERS_CREATED = "customers.created"
    CUSTOMERS_UPDATED = "customers.updated"
    ONBOARDING_STEP_COMPLETED = "onboarding.step_completed"
    ONBOARDING_STEP_REOPENED = "onboarding.step_reopened"
    ONBOARDING_STEP_APPROVED = "onboarding.step_approved"
    CONNECTORS_STATE_CHANGED = "connectors.state_changed"
    LINKS_CREATED = "links.created"
    LINKS_REVOKED = "links.revoked"
    DRAFTS_CREATED = "drafts.created"
    DRAFTS_EDITED = "drafts.edited"
    DRAFTS_APPROVED = "drafts.approved"
    DRAFTS_REJECTED = "drafts.rejected"
    DRAFTS_SENT = "drafts.sent"
    DRAFTS_SENT_MANUALLY = "drafts.sent_manually"
    DRAFTS_SEND_STARTED = "drafts.send_started"
    DRAFTS_SEND_FAILED = "drafts.send_failed"
    DRAFTS_SEND_OUTCOME_UNKNOWN = "drafts.send_outcome_unknown"
    DRAFTS_SEND_RELEASED = "drafts.send_released"
    TICKETS_CREATED = "tickets.created"
    TICKETS_PRIORITY_CHANGED = "tickets.priority_changed"
    TICKETS_ASSIGNED = "tickets.assigned"
    TICKETS_STATUS_CHANGED = "tickets.status_changed"
    TICKETS_REPLY_DRAFTED = "tickets.reply_drafted"
    TICKETS_OPENED = "tickets.opened"
    TICKETS_FIRST_RESPONSE = "tickets.first_response"
    TICKETS_PAUSED = "tickets.paused"
    TICKETS_RESUMED = "tickets.resumed"
    TICKETS_RESOLVED = "tickets.resolved"
    TICKETS_ESCALATED = "tickets.escalated"
    SLA_HOLIDAY_SET = "sla.holiday_set"
    SLA_WEEKLY_REVIEW = "sla.weekly_review"
    SLA_CRITICAL_NOTIFIED = "sla.critical_notified"
    LIVE_ACTIONS_FROZEN = "live_actions.frozen"
    LIVE_ACTIONS_UNFROZEN = "live_actions.unfrozen"
    INCIDENTS_DECLARED = "incidents.declared"
    INCIDENTS_SEVERITY_CHANGED = "incidents.severity_changed"
    INCIDENTS_STATUS_CHANGED = "incidents.status_changed"
    INCIDENTS_TIMELINE_ADDED = "incidents.timeline_added"
    INCIDENTS_PLAN_STEP_TICKED = "incidents.plan_step_ticked"
    INCIDENTS_PLAN_STEP_UNTICKED = "incidents.plan_step_unticked"
    INCIDENTS_POSTMORTEM_SAVED = "incidents.postmortem_saved"
    INCIDENTS_UPDATE_DRAFTED = "incidents.update_drafted"
    INCIDENTS_UPDATE_SENT = "incidents.update_sent"
    INCIDENTS_UPDATE_MISSED = "incidents.update_missed"
    SUCCESS_PLAN_CREATED = "success.plan_created"
    SUCCESS_TOUCHPOINT_DONE = "success.touchpoint_done"
    SUCCESS_PROOF_PACK_DELIVERED = "success.proof_pack_delivered"
    SUCCESS_CHECK_IN_DRAFTED = "success.check_in_drafted"
    DELIVERY_HANDED_OFF = "delivery.handed_off"
