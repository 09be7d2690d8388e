"""The original system's SPEC_RULES tables, quoted once.

The domain, the rules API and the documents are each pinned to these literal rows, so a change to
the code or to a document that drifts from the original contract fails a test.
"""

from __future__ import annotations

# SPEC_RULES §3.1: key, default_mode, phase, blocking.
SPEC_CONNECTORS: tuple[tuple[str, str, str, bool], ...] = (
    ("gmail", "draft_only", "phase_1", False),
    ("google_calendar", "draft_only", "phase_1", False),
    ("google_sheets", "approved_execute", "phase_1", False),
    ("moyasar", "manual", "phase_1", False),
    ("whatsapp_cloud", "draft_only", "phase_1", True),
    ("website_forms", "approved_execute", "phase_1", False),
    ("linkedin_lead_forms", "ingest_only", "phase_2", False),
    ("google_business_profile", "draft_only", "phase_2", False),
    ("crm_generic", "draft_only", "phase_2", False),
    ("google_meet", "ingest_only", "phase_2", False),
    ("instagram_graph", "ingest_only", "phase_3", False),
)
# SPEC_RULES §2.1: id, input_required, minutes, approval_required.
SPEC_ONBOARDING_STEPS: tuple[tuple[str, str | None, int, bool], ...] = (
    ("select_goal", "goal", 2, False),
    ("select_bundle", "bundle_id", 3, True),
    ("company_intake", "company_profile", 5, False),
    ("connect_channels", "channels_oauth", 8, True),
    ("upload_or_source", "list_or_source", 5, True),
    ("risk_review", None, 4, True),
    ("first_service_run", None, 0, True),
    ("first_proof_pack", None, 0, False),
)
SPEC_STEP_IDS: tuple[str, ...] = tuple(row[0] for row in SPEC_ONBOARDING_STEPS)
# SPEC_RULES §6.1: id, first_action_minutes, communication_cadence_minutes.
SPEC_SEVERITIES: tuple[tuple[str, int, int], ...] = (
    ("SEV1", 15, 30),
    ("SEV2", 30, 60),
    ("SEV3", 120, 240),
)
