from django.urls import include, path

from customer_ops.views import (
    approvals,
    calendar,
    connectors,
    customers,
    home,
    incidents,
    links,
    messages,
    modes,
    notifications,
    onboarding,
    progress,
    reports,
    search,
    success,
    tickets,
    webhooks,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("search/", search.search_page, name="search"),
    path("customers/", customers.customer_list, name="customers"),
    path("ledger/", customers.ledger_page, name="ledger"),
    path("customers/new/", customers.customer_new, name="customer-new"),
    path("customers/<int:customer_id>/", customers.customer_detail, name="customer-page"),
    path(
        "customers/<int:customer_id>/ledger/",
        customers.customer_ledger_page,
        name="customer-ledger",
    ),
    path(
        "customers/<int:customer_id>/onboarding/<slug:step_id>/",
        onboarding.onboarding_step_set,
        name="onboarding-step-set",
    ),
    path(
        "customers/<int:customer_id>/onboarding/<slug:step_id>/approve/",
        onboarding.onboarding_step_approve,
        name="onboarding-step-approve",
    ),
    path(
        "customers/<int:customer_id>/connectors/<slug:connector_key>/",
        connectors.connector_state_set,
        name="connector-state-set",
    ),
    path(
        "customers/<int:customer_id>/drafts/new/",
        approvals.customer_draft_create,
        name="customer-draft-create",
    ),
    path(
        "customers/<int:customer_id>/progress-link/",
        links.progress_link_create,
        name="progress-link-create",
    ),
    path(
        "customers/<int:customer_id>/progress-link/revoke/",
        links.progress_link_revoke,
        name="progress-link-revoke",
    ),
    path("connectors/", connectors.connector_board, name="connector-board"),
    path("approvals/", approvals.approvals_inbox, name="approvals-inbox"),
    path("approvals/badge/", approvals.approvals_badge, name="approvals-badge"),
    path("approvals/<int:draft_id>/", approvals.draft_detail, name="approvals-draft"),
    path("approvals/<int:draft_id>/approve/", approvals.draft_approve, name="approvals-approve"),
    path("approvals/<int:draft_id>/edit/", approvals.draft_edit, name="approvals-edit"),
    path(
        "approvals/<int:draft_id>/claims/",
        approvals.draft_claims_check,
        name="approvals-claims-check",
    ),
    path("approvals/<int:draft_id>/reject/", approvals.draft_reject, name="approvals-reject"),
    path("approvals/<int:draft_id>/send/", approvals.draft_send, name="approvals-send"),
    path(
        "approvals/<int:draft_id>/mark-sent/", approvals.draft_mark_sent, name="approvals-mark-sent"
    ),
    path(
        "approvals/<int:draft_id>/release-send/",
        approvals.draft_release_send,
        name="approvals-release-send",
    ),
    # Tickets (issue #7, part 2). Names avoid the API router's (ticket-list, ticket-detail, …).
    path("tickets/", tickets.ticket_queue, name="ticket-queue"),
    path("tickets/export.csv", tickets.ticket_queue_csv, name="ticket-queue-csv"),
    path("tickets/new/", tickets.ticket_new, name="ticket-new"),
    path("tickets/classify/", tickets.ticket_classify, name="ticket-classify"),
    path("tickets/<int:ticket_id>/", tickets.ticket_page, name="ticket-page"),
    path("tickets/<int:ticket_id>/move/", tickets.ticket_move, name="ticket-move"),
    path("tickets/<int:ticket_id>/close/", tickets.ticket_close, name="ticket-close"),
    path(
        "tickets/<int:ticket_id>/priority/", tickets.ticket_priority_set, name="ticket-priority-set"
    ),
    path("tickets/<int:ticket_id>/assign/", tickets.ticket_assign, name="ticket-assign"),
    path("tickets/<int:ticket_id>/reply/", tickets.ticket_reply, name="ticket-reply"),
    path(
        "tickets/<int:ticket_id>/drafts/<int:draft_id>/edit/",
        tickets.ticket_draft_edit,
        name="ticket-draft-edit",
    ),
    path("tickets/<int:ticket_id>/thread/", messages.ticket_thread_view, name="ticket-thread"),
    path("tickets/<int:ticket_id>/notes/", messages.ticket_note, name="ticket-note"),
    path(
        "attachments/<int:attachment_id>/",
        messages.message_attachment,
        name="message-attachment",
    ),
    path("messages/unmatched/", messages.unmatched_inbox, name="messages-unmatched-page"),
    path(
        "messages/<int:message_id>/assign/",
        messages.unmatched_assign,
        name="message-assign-page",
    ),
    # Incidents
    path("incidents/", incidents.incident_room, name="incident-room"),
    path("incidents/new/", incidents.incident_new, name="incident-new"),
    path("incidents/triage/", incidents.incident_triage, name="incident-triage"),
    path("incidents/<int:incident_id>/", incidents.incident_page, name="incident-page"),
    path(
        "incidents/<int:incident_id>/severity/",
        incidents.incident_severity_set,
        name="incident-severity-set",
    ),
    path(
        "incidents/<int:incident_id>/status/",
        incidents.incident_status_set,
        name="incident-status-set",
    ),
    path(
        "incidents/<int:incident_id>/plan/<int:position>/",
        incidents.incident_plan_tick,
        name="incident-plan-tick",
    ),
    path(
        "incidents/<int:incident_id>/timeline/",
        incidents.incident_timeline_add,
        name="incident-timeline-add",
    ),
    path(
        "incidents/<int:incident_id>/postmortem/",
        incidents.incident_postmortem,
        name="incident-postmortem-save",
    ),
    path("incidents/<int:incident_id>/comms/", incidents.incident_comms, name="incident-comms"),
    # Customer success
    path("success/", success.success_home, name="success-home"),
    path("success/at-risk/", success.success_at_risk, name="success-at-risk"),
    path(
        "success/touchpoints/<int:touchpoint_id>/done/",
        success.touchpoint_done,
        name="touchpoint-done",
    ),
    path("customers/<int:customer_id>/success/", success.customer_success, name="customer-success"),
    path(
        "customers/<int:customer_id>/success/plan/",
        success.success_plan_create,
        name="success-plan-create",
    ),
    path(
        "customers/<int:customer_id>/success/proof-packs/",
        success.proof_pack_record,
        name="proof-pack-record",
    ),
    path(
        "customers/<int:customer_id>/success/check-in/",
        success.check_in_build,
        name="check-in-build",
    ),
    # SLA report and operator modes
    path("reports/sla/", reports.sla_report, name="sla-report"),
    path("reports/sla/export.csv", reports.sla_report_csv, name="sla-report-csv"),
    path("modes/", modes.modes, name="modes"),
    path("modes/delivery/", modes.modes_delivery, name="modes-delivery"),
    path("modes/delivery/handoff/", modes.modes_handoff, name="modes-handoff"),
    # The working calendar (founders edit, operators read)
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar/week/", calendar.calendar_week_set, name="calendar-week-set"),
    path("calendar/holidays/", calendar.calendar_holiday_set, name="calendar-holiday-set"),
    path(
        "calendar/holidays/confirm/",
        calendar.calendar_holiday_confirm,
        name="calendar-holiday-confirm",
    ),
    path("calendar/holidays/move/", calendar.calendar_holiday_move, name="calendar-holiday-move"),
    path(
        "calendar/holidays/clear/", calendar.calendar_holiday_clear, name="calendar-holiday-clear"
    ),
    path("calendar/periods/", calendar.calendar_period_create, name="calendar-period-create"),
    path(
        "calendar/periods/<int:period_id>/delete/",
        calendar.calendar_period_delete,
        name="calendar-period-delete",
    ),
    # Notifications
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/badge/", notifications.notifications_badge, name="notifications-badge"),
    path(
        "notifications/<int:notification_id>/read/",
        notifications.notification_read,
        name="notification-read",
    ),
    path(
        "notifications/read-all/",
        notifications.notifications_read_all,
        name="notifications-read-all",
    ),
    path("progress/<str:token>/", progress.customer_progress, name="customer-progress"),
    # Provider webhooks: unauthenticated by nature, refused unless signed (views/webhooks.py).
    path("webhooks/whatsapp/", webhooks.whatsapp_webhook, name="whatsapp-webhook"),
    # Anymail's inbound and tracking webhooks (/webhooks/anymail/postmark/inbound/, …).
    path("webhooks/anymail/", include((webhooks.anymail_patterns(), "anymail"))),
    path("api/v1/", include("customer_ops.api.urls")),
]
