"""The customers list, the new-customer form and the customer page (checklist, link, drafts)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from customer_ops.models import Customer, LedgerEntry, OnboardingStep, OutboundDraft, ProgressLink
from customer_ops.services.connectors import connector_set_state
from customer_ops.services.onboarding import onboarding_set_step
from tests.factories import make_customer, make_draft, set_connector
from tests.helpers import HX, queries_for

pytestmark = pytest.mark.django_db


def detail_url(customer: Customer) -> str:
    return reverse("customer-page", kwargs={"customer_id": customer.pk})


# ── permissions ─────────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("name", ["customers", "customer-new"])
def test_customer_pages_send_anonymous_users_to_login(client: Client, name: str) -> None:
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_customer_page_refuses_a_user_without_a_role(
    client: Client, make_user: Callable[..., Any], founder: Any
) -> None:
    customer = make_customer(actor=founder)
    client.force_login(make_user("outsider"))

    assert client.get(reverse("customers")).status_code == 403
    assert client.get(detail_url(customer)).status_code == 403
    assert client.post(reverse("customer-new"), {"company_name": "x"}).status_code == 403


# ── list: search, filters, pagination, partials, queries ────────────────────────────────────────
def test_customer_list_searches_company_and_contact_in_the_database(
    operator_client: Client, founder: Any
) -> None:
    make_customer(actor=founder, name="شركة نمو للتدريب", contact_name="ريم العتيبي")
    make_customer(actor=founder, name="دار الإعمار العقارية", contact_name="خالد الزهراني")

    by_company = operator_client.get(reverse("customers"), {"q": "الإعمار"})
    by_contact = operator_client.get(reverse("customers"), {"q": "ريم"})

    assert [c.company_name for c in by_company.context["page_obj"]] == ["دار الإعمار العقارية"]
    assert [c.company_name for c in by_contact.context["page_obj"]] == ["شركة نمو للتدريب"]


def test_customer_list_filters_by_bundle_and_status(operator_client: Client, founder: Any) -> None:
    make_customer(actor=founder, name="أ", bundle="growth_starter")
    make_customer(actor=founder, name="ب", bundle="data_to_revenue")
    Customer.objects.filter(company_name="ب").update(status="active")

    bundle = operator_client.get(reverse("customers"), {"bundle": "data_to_revenue"})
    status = operator_client.get(reverse("customers"), {"status": "onboarding"})
    bogus = operator_client.get(reverse("customers"), {"bundle": "no-such-bundle"})

    assert [c.company_name for c in bundle.context["page_obj"]] == ["ب"]
    assert [c.company_name for c in status.context["page_obj"]] == ["أ"]
    assert bogus.status_code == 200  # an unknown filter value is ignored, never a 500
    assert bogus.context["filter_form"].errors


def test_customer_list_htmx_request_gets_only_the_table(
    operator_client: Client, founder: Any
) -> None:
    make_customer(actor=founder, name="شركة الجدول")

    response = operator_client.get(reverse("customers"), {"q": "الجدول"}, headers=HX)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="customer-table"' in html
    assert "<html" not in html
    assert "شركة الجدول" in html


def test_customer_list_form_pushes_the_filters_to_the_url(operator_client: Client) -> None:
    html = operator_client.get(reverse("customers")).content.decode()

    assert 'hx-push-url="true"' in html
    assert 'hx-target="#customer-table"' in html


def test_customer_list_is_paginated(operator_client: Client, founder: Any) -> None:
    for index in range(27):
        make_customer(actor=founder, name=f"عميل {index:02d}")

    first = operator_client.get(reverse("customers"))
    second = operator_client.get(reverse("customers"), {"page": 2})

    assert len(first.context["page_obj"]) == 25
    assert len(second.context["page_obj"]) == 2
    assert "page=2" in first.content.decode()


def test_customer_list_query_count_does_not_grow_with_rows(
    operator_client: Client, founder: Any, django_assert_num_queries: Any
) -> None:
    for index in range(2):
        make_customer(actor=founder, name=f"قليل {index}")
    make_draft(customer=Customer.objects.first(), author=founder)
    small = queries_for(operator_client, reverse("customers"))
    for index in range(18):
        make_customer(actor=founder, name=f"كثير {index}")

    with django_assert_num_queries(small):
        response = operator_client.get(reverse("customers"))

    assert len(response.context["page_obj"]) == 20


def test_customer_list_marks_readiness_like_the_domain_summary(
    operator_client: Client, founder: Any
) -> None:
    ready = make_customer(actor=founder, name="جاهز")
    make_customer(actor=founder, name="غير جاهز")
    set_connector(ready, "whatsapp_cloud", actor=founder)

    rows = {
        c.company_name: c.ready
        for c in operator_client.get(reverse("customers")).context["page_obj"]
    }

    assert rows == {"جاهز": True, "غير جاهز": False}


# ── new customer ────────────────────────────────────────────────────────────────────────────────
def test_new_customer_is_created_through_the_service_and_opens_its_page(
    operator_client: Client,
) -> None:
    response = operator_client.post(
        reverse("customer-new"),
        {
            "company_name": "  مؤسسة جديدة  ",
            "bundle": "executive_growth_os",
            "contact_email": "owner@new.sa",
            "pilot_started_on": "2026-05-01",
        },
    )

    customer = Customer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(customer)
    assert customer.company_name == "مؤسسة جديدة"
    assert OnboardingStep.objects.filter(customer=customer).count() == 8
    assert customer.connectors.count() == 11
    assert LedgerEntry.objects.filter(verb="customers.created", customer_id=customer.pk).exists()


def test_new_customer_by_htmx_redirects_the_browser(operator_client: Client) -> None:
    response = operator_client.post(
        reverse("customer-new"),
        {"company_name": "عبر htmx", "bundle": "growth_starter"},
        headers=HX,
    )

    assert response["HX-Redirect"] == detail_url(Customer.objects.get())


def test_new_customer_errors_show_inline_keep_the_input_and_save_nothing(
    operator_client: Client,
) -> None:
    response = operator_client.post(
        reverse("customer-new"),
        {
            "company_name": "   ",
            "bundle": "growth_starter",
            "city": "الرياض",
            "contact_email": "not-an-email",
            "pilot_started_on": "2026-05-10",
            "renewal_on": "2026-05-01",
        },
        headers=HX,
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="customer-form"' in html
    assert "<html" not in html
    assert set(response.context["form"].errors) == {"company_name", "contact_email", "renewal_on"}
    assert 'value="الرياض"' in html  # what the user typed is still there
    assert 'value="not-an-email"' in html
    assert 'aria-invalid="true"' in html
    assert Customer.objects.count() == 0
    assert LedgerEntry.objects.count() == 0


def test_new_customer_bundle_choices_are_the_five_locked_bundles(operator_client: Client) -> None:
    form = operator_client.get(reverse("customer-new")).context["form"]

    assert [value for value, _ in form.fields["bundle"].choices] == [
        "growth_starter",
        "data_to_revenue",
        "executive_growth_os",
        "partnership_growth",
        "full_growth_control_tower",
    ]


# ── customer page ───────────────────────────────────────────────────────────────────────────────
def test_customer_page_shows_header_checklist_connectors_drafts_ledger_and_link_box(
    operator_client: Client, founder: Any
) -> None:
    customer = make_customer(
        actor=founder, name="سحابة الخليج", contact_email="noura@gulfcloud.sa", city="الخبر"
    )
    make_draft(customer=customer, author=founder, subject="موضوع المسودة")

    response = operator_client.get(detail_url(customer))

    html = response.content.decode()
    assert response.status_code == 200
    for region in (
        'id="onboarding-checklist"',
        f'id="connector-row-{customer.pk}"',
        'id="customer-drafts"',
        'id="customer-ledger"',
        'id="progress-link"',
    ):
        assert region in html
    assert "<bdi>noura@gulfcloud.sa</bdi>" in html
    assert "موضوع المسودة" in html
    assert "هـ" in html  # dates carry their Hijri form


def test_unknown_customer_is_404(operator_client: Client) -> None:
    assert (
        operator_client.get(reverse("customer-page", kwargs={"customer_id": 999})).status_code
        == 404
    )


def test_ticking_a_step_in_place_rerenders_only_the_checklist(
    operator_client: Client, founder: Any, operator: Any
) -> None:
    customer = make_customer(actor=founder)

    response = operator_client.post(
        reverse("onboarding-step-set", args=[customer.pk, "select_goal"]),
        {"completed": "on"},
        headers=HX,
    )

    html = response.content.decode()
    step = OnboardingStep.objects.get(customer=customer, step_id="select_goal")
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="onboarding-checklist"')
    assert "<html" not in html
    assert step.completed and step.completed_by == operator
    assert 'aria-valuenow="12.5"' in html


def test_unticking_a_step_reopens_it(operator_client: Client, founder: Any) -> None:
    customer = make_customer(actor=founder)
    url = reverse("onboarding-step-set", args=[customer.pk, "select_goal"])
    operator_client.post(url, {"completed": "on"}, headers=HX)

    operator_client.post(url, {}, headers=HX)

    assert not OnboardingStep.objects.get(customer=customer, step_id="select_goal").completed


def test_first_service_run_before_connectors_are_ready_is_refused_inline(
    operator_client: Client, founder: Any
) -> None:
    customer = make_customer(actor=founder)

    response = operator_client.post(
        reverse("onboarding-step-set", args=[customer.pk, "first_service_run"]),
        {"completed": "on"},
        headers=HX,
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="onboarding-checklist"' in html
    assert "لا يمكن إكمال تشغيل أول خدمة قبل جاهزية القنوات" in html
    assert 'role="alert"' in html
    assert not OnboardingStep.objects.get(customer=customer, step_id="first_service_run").completed


def test_unknown_step_is_404(operator_client: Client, founder: Any) -> None:
    customer = make_customer(actor=founder)

    response = operator_client.post(
        reverse("onboarding-step-set", args=[customer.pk, "no_such_step"]), {"completed": "on"}
    )

    assert response.status_code == 404


def test_founder_sees_approve_for_a_step_waiting_for_approval_and_operator_does_not(
    operator_client: Client, founder_client: Client, founder: Any, operator: Any
) -> None:
    customer = make_customer(actor=founder)
    onboarding_set_step(
        customer_id=customer.pk,
        step_id="select_bundle",
        completed=True,
        actor=operator,
        now=timezone.now(),
    )
    approve_url = reverse("onboarding-step-approve", args=[customer.pk, "select_bundle"])

    operator_html = operator_client.get(detail_url(customer)).content.decode()
    founder_html = founder_client.get(detail_url(customer)).content.decode()
    forged = operator_client.post(approve_url, headers=HX)
    approved = founder_client.post(approve_url, headers=HX)

    assert approve_url not in operator_html
    assert approve_url in founder_html
    assert forged.status_code == 403
    assert approved.status_code == 200
    assert (
        OnboardingStep.objects.get(customer=customer, step_id="select_bundle").approved_by
        == founder
    )


def test_checklist_refreshes_itself_when_connectors_change(
    operator_client: Client, founder: Any
) -> None:
    customer = make_customer(actor=founder)

    html = operator_client.get(detail_url(customer)).content.decode()
    partial = operator_client.get(
        detail_url(customer), headers={**HX, "HX-Target": "onboarding-checklist"}
    ).content.decode()

    assert 'hx-trigger="connectors-changed from:body"' in html
    assert partial.lstrip().startswith('<section id="onboarding-checklist"')


def test_non_htmx_tick_redirects_back_to_the_customer_page(
    operator_client: Client, founder: Any
) -> None:
    customer = make_customer(actor=founder)

    response = operator_client.post(
        reverse("onboarding-step-set", args=[customer.pk, "first_service_run"]), {"completed": "on"}
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url(customer)


# ── drafts from the customer page ───────────────────────────────────────────────────────────────
def test_new_draft_from_the_customer_page_waits_for_approval(
    operator_client: Client, founder: Any, operator: Any
) -> None:
    customer = make_customer(actor=founder)

    response = operator_client.post(
        reverse("customer-draft-create", args=[customer.pk]),
        {"channel": "email", "to": "client@example.sa", "subject": "متابعة", "body": "أهلاً"},
        headers=HX,
    )

    draft = OutboundDraft.objects.get()
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="customer-drafts"')
    assert draft.status == "pending" and draft.author == operator
    assert "drafts-changed" in response["HX-Trigger"]


def test_new_draft_errors_show_inline_and_keep_the_text(
    operator_client: Client, founder: Any
) -> None:
    customer = make_customer(actor=founder)

    response = operator_client.post(
        reverse("customer-draft-create", args=[customer.pk]),
        {"channel": "email", "to": "not an email", "subject": "", "body": "نص أبقيه"},
        headers=HX,
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "to" in response.context["draft_form"].errors
    assert "نص أبقيه" in html
    assert OutboundDraft.objects.count() == 0


# ── progress link box ───────────────────────────────────────────────────────────────────────────
def test_progress_link_is_shown_once_then_only_its_expiry(
    operator_client: Client, client: Client, founder: Any
) -> None:
    customer = make_customer(actor=founder, name="شركة الرابط")

    created = operator_client.post(reverse("progress-link-create", args=[customer.pk]), headers=HX)
    url = created.context["issued"].url
    later = operator_client.get(detail_url(customer)).content.decode()

    assert created.status_code == 200
    assert created.content.decode().lstrip().startswith('<section id="progress-link"')
    assert url in created.content.decode()
    assert url not in later
    assert "يوجد رابط فعّال" in later
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    assert "شركة الرابط" in client.get(path).content.decode()


def test_revoking_the_link_makes_it_404(
    operator_client: Client, client: Client, founder: Any
) -> None:
    customer = make_customer(actor=founder)
    created = operator_client.post(reverse("progress-link-create", args=[customer.pk]), headers=HX)
    path = "/" + created.context["issued"].url.split("://", 1)[1].split("/", 1)[1]

    revoked = operator_client.post(reverse("progress-link-revoke", args=[customer.pk]), headers=HX)

    assert revoked.status_code == 200
    assert 'id="progress-link"' in revoked.content.decode()
    assert "hx-confirm" in created.content.decode()  # revoking asks first
    assert ProgressLink.objects.get().revoked_at is not None
    assert client.get(path).status_code == 404


def test_link_without_javascript_shows_the_url_on_the_full_page(
    operator_client: Client, founder: Any
) -> None:
    customer = make_customer(actor=founder)

    response = operator_client.post(reverse("progress-link-create", args=[customer.pk]))

    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert response.context["issued"].url in response.content.decode()


# ── ledger ──────────────────────────────────────────────────────────────────────────────────────
def test_ledger_is_newest_first_paginated_and_swappable(
    operator_client: Client, founder: Any
) -> None:
    customer = make_customer(actor=founder)
    for step in ("select_goal", "select_bundle", "company_intake"):
        onboarding_set_step(
            customer_id=customer.pk, step_id=step, completed=True, actor=founder, now=timezone.now()
        )
    for _ in range(6):
        set_connector(customer, "gmail", actor=founder, state="skipped")

    page = operator_client.get(detail_url(customer)).context["ledger_page"]
    second = operator_client.get(
        reverse("customer-ledger", args=[customer.pk]), {"page": 2}, headers=HX
    )

    entries = list(page)
    assert page.paginator.count == 16
    assert entries[0].at >= entries[-1].at
    assert second.status_code == 200
    assert second.content.decode().lstrip().startswith('<section id="customer-ledger"')
    assert "<html" not in second.content.decode()


def test_customer_page_query_count_does_not_grow_with_ledger_or_drafts(
    operator_client: Client, founder: Any, django_assert_num_queries: Any
) -> None:
    customer = make_customer(actor=founder)
    make_draft(customer=customer, author=founder)
    small = queries_for(operator_client, detail_url(customer))
    for _ in range(10):
        make_draft(customer=customer, author=founder)
        connector_set_state(
            customer_id=customer.pk,
            connector_key="gmail",
            to="configuring",
            actor=founder,
            now=timezone.now(),
        )
        connector_set_state(
            customer_id=customer.pk,
            connector_key="gmail",
            to="skipped",
            actor=founder,
            now=timezone.now(),
        )

    with django_assert_num_queries(small):
        operator_client.get(detail_url(customer))
