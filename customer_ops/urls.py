from django.urls import include, path

from customer_ops.views import (
    approvals,
    connectors,
    customers,
    home,
    links,
    onboarding,
    progress,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("customers/", customers.customer_list, name="customers"),
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
    path("approvals/<int:draft_id>/reject/", approvals.draft_reject, name="approvals-reject"),
    path("approvals/<int:draft_id>/send/", approvals.draft_send, name="approvals-send"),
    path("approvals/<int:draft_id>/mark-sent/", approvals.draft_mark_sent, name="approvals-mark-sent"),
    path("progress/<str:token>/", progress.customer_progress, name="customer-progress"),
    path("api/v1/", include("customer_ops.api.urls")),
]
