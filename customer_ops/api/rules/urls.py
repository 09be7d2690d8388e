"""Routes of the 20 rule endpoints, mounted at /api/v1/customer-ops/ (paths as SPEC_RULES §8)."""

from __future__ import annotations

from django.urls import path

from customer_ops.api.rules import views

urlpatterns = [
    path(
        "onboarding/checklist",
        views.onboarding_checklist,
        name="customer-ops-onboarding-checklist",
    ),
    path(
        "onboarding/update-step",
        views.onboarding_update_step,
        name="customer-ops-onboarding-update-step",
    ),
    path(
        "onboarding/checklist/demo",
        views.onboarding_checklist_demo,
        name="customer-ops-onboarding-checklist-demo",
    ),
    path("connectors/catalog", views.connectors_catalog, name="customer-ops-connectors-catalog"),
    path("connectors/summary", views.connectors_summary, name="customer-ops-connectors-summary"),
    path("connectors/update", views.connectors_update, name="customer-ops-connectors-update"),
    path("connectors/demo", views.connectors_demo, name="customer-ops-connectors-demo"),
    path("support/priorities", views.support_priorities, name="customer-ops-support-priorities"),
    path("support/classify", views.support_classify, name="customer-ops-support-classify"),
    path("support/route", views.support_route, name="customer-ops-support-route"),
    path(
        "support/first-response/<str:priority>",
        views.support_first_response,
        name="customer-ops-support-first-response",
    ),
    path("sla/event", views.sla_event, name="customer-ops-sla-event"),
    path(
        "sla/classify-breach",
        views.sla_classify_breach,
        name="customer-ops-sla-classify-breach",
    ),
    path("sla/health-report", views.sla_health_report, name="customer-ops-sla-health-report"),
    path(
        "sla/health-report/demo",
        views.sla_health_report_demo,
        name="customer-ops-sla-health-report-demo",
    ),
    path("incidents/triage", views.incidents_triage, name="customer-ops-incidents-triage"),
    path(
        "incidents/response-plan/<str:severity>",
        views.incidents_response_plan,
        name="customer-ops-incidents-response-plan",
    ),
    path("cs/weekly-check-in", views.cs_weekly_check_in, name="customer-ops-cs-weekly-check-in"),
    path("cs/at-risk-alert", views.cs_at_risk_alert, name="customer-ops-cs-at-risk-alert"),
    path("cs/success-plan", views.cs_success_plan, name="customer-ops-cs-success-plan"),
]
