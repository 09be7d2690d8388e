"""The approvals inbox: founders approve or reject drafts; then a draft is sent or marked sent.

Operators see the state of the drafts they wrote, with no approve/reject buttons; a forged
approve/reject POST from them is refused with 403 by `founder_required` before any service runs
(and the service would refuse it again).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from customer_ops.access import StaffRequest, founder_required, staff_required
from customer_ops.forms import (
    DRAFT_TABS,
    DraftClaimsPreviewForm,
    DraftCreateForm,
    DraftEditForm,
    DraftFilterForm,
    DraftMarkSentForm,
    DraftRejectForm,
)
from customer_ops.roles import is_founder
from customer_ops.selectors.customers import customer_get
from customer_ops.selectors.drafts import (
    customer_draft_count,
    customer_recent_drafts,
    draft_card,
    draft_cards,
    draft_claims_preview,
    draft_get,
    draft_history,
    draft_tab_counts_for,
    drafts_inbox_for,
)
from customer_ops.services import draft_delivery
from customer_ops.services import drafts as draft_services
from customer_ops.views.actions import Submission, errors_text, region, submit
from customer_ops.views.customers import RECENT_DRAFTS, customer_page_context
from customer_ops.views.pagination import page_of
from dealix.http import HtmxHttpRequest

DRAFTS_PER_PAGE = 10
CARD = "customer_ops/_components/draft_card.html"


def _tabs(counts: dict[str, int], *, customer_id: int | None) -> list[dict[str, Any]]:
    base = reverse("approvals-inbox")
    tabs = []
    for value, label in DRAFT_TABS:
        query: dict[str, str | int] = {"status": value}
        if customer_id:
            query["customer"] = customer_id
        tabs.append(
            {
                "value": value,
                "label": label,
                "count": counts[value],
                "url": f"{base}?{urlencode(query)}",
            }
        )
    return tabs


@staff_required
@require_GET
@vary_on_headers("HX-Request")
def approvals_inbox(request: StaffRequest) -> HttpResponse:
    form = DraftFilterForm(request.GET)
    filters: dict[str, Any] = dict(form.cleaned_data) if form.is_valid() else {}
    # A founder's inbox opens on what waits for them; an operator's on all their drafts.
    filters["status"] = filters.get("status") or ("pending" if is_founder(request.user) else "all")
    page = page_of(
        request, drafts_inbox_for(user=request.user, filters=filters), per_page=DRAFTS_PER_PAGE
    )
    counts = draft_tab_counts_for(user=request.user, customer_id=filters.get("customer"))
    context = {
        "filters": filters,
        "page_obj": page,
        "cards": draft_cards(drafts=page.object_list, user=request.user),
        "tabs": _tabs(counts, customer_id=filters.get("customer")),
        "customer": customer_get(customer_id=filters["customer"])
        if filters.get("customer")
        else None,
    }
    template_name = "customer_ops/approvals/inbox.html"
    if request.htmx:
        template_name += (
            "#approvals-tabs" if request.htmx.target == "approvals-tabs" else "#approvals"
        )
    return render(request, template_name, context)


@staff_required
@require_GET
def draft_detail(request: StaffRequest, draft_id: int) -> HttpResponse:
    draft = draft_get(draft_id=draft_id)
    context = {
        "card": draft_card(draft=draft, user=request.user),
        "history": draft_history(draft_id=draft.pk),
    }
    return render(request, "customer_ops/approvals/detail.html", context)


def _card(
    request: StaffRequest,
    draft_id: int,
    done: Submission[Any],
    *,
    reject_form: DraftRejectForm | None = None,
) -> HttpResponse:
    """The draft's card after an action: `drafts-changed` when done, else 422 with the refusal."""
    return region(
        request,
        CARD,
        lambda: {
            "card": draft_card(draft=draft_get(draft_id=draft_id), user=request.user),
            "error": "" if reject_form is not None else done.error,
            "reject_form": reject_form,
        },
        back=reverse("approvals-draft", kwargs={"draft_id": draft_id}),
        error=done.error,
        events=("drafts-changed",),
    )


@founder_required
@require_POST
def draft_approve(request: StaffRequest, draft_id: int) -> HttpResponse:
    done = submit(
        None,
        lambda _data: draft_services.draft_approve(
            draft_id=draft_id, approver=request.user, now=timezone.now()
        ),
    )
    return _card(request, draft_id, done)


@staff_required
@require_POST
def draft_edit(request: StaffRequest, draft_id: int) -> HttpResponse:
    """Correct a draft's recipient, subject or body; the editor becomes one of its authors."""
    form = DraftEditForm(request.POST)
    done = submit(
        form,
        lambda data: draft_services.draft_edit(
            draft_id=draft_id, actor=request.user, now=timezone.now(), **data
        ),
    )
    return region(
        request,
        CARD,
        lambda: {
            "card": draft_card(draft=draft_get(draft_id=draft_id), user=request.user),
            "edit_form": None if done.done else form,
            "edited": done.done,
        },
        back=reverse("approvals-draft", kwargs={"draft_id": draft_id}),
        error=done.error,
        events=("drafts-changed",),
    )


@staff_required
@require_POST
def draft_claims_check(request: HtmxHttpRequest, draft_id: int) -> HttpResponse:
    """The claims check of the text typed into a draft's edit form, before it is saved."""
    draft = draft_get(draft_id=draft_id)
    form = DraftClaimsPreviewForm(request.POST)
    report = (
        draft_claims_preview(
            draft=draft, subject=form.cleaned_data["subject"], body=form.cleaned_data["body"]
        )
        if form.is_valid()
        else None
    )
    context = {"draft": draft, "report": report, "refused": errors_text(form)}
    return render(request, "customer_ops/_components/claims_live.html", context)


@founder_required
@require_POST
def draft_reject(request: StaffRequest, draft_id: int) -> HttpResponse:
    form = DraftRejectForm(request.POST)
    done = submit(
        form,
        lambda data: draft_services.draft_reject(
            draft_id=draft_id, actor=request.user, now=timezone.now(), reason=data["reason"]
        ),
    )
    return _card(request, draft_id, done, reject_form=None if done.done else form)


@staff_required
@require_POST
def draft_send(request: StaffRequest, draft_id: int) -> HttpResponse:
    done = submit(
        None,
        lambda _data: draft_delivery.draft_send(
            draft_id=draft_id, actor=request.user, now=timezone.now()
        ),
    )
    return _card(request, draft_id, done)


@staff_required
@require_POST
def draft_mark_sent(request: StaffRequest, draft_id: int) -> HttpResponse:
    # A refused note is not recorded as sent with the note dropped. A draft whose send outcome
    # is unknown is only resolved by a founder: an operator's post is a role refusal (403).
    done = submit(
        DraftMarkSentForm(request.POST),
        lambda data: draft_delivery.draft_mark_sent(
            draft_id=draft_id, actor=request.user, now=timezone.now(), note=data["note"]
        ),
    )
    return _card(request, draft_id, done)


@founder_required
@require_POST
def draft_release_send(request: StaffRequest, draft_id: int) -> HttpResponse:
    """A founder found no trace of a send whose outcome is unknown: it may be sent again.

    The note (what was checked) is required by the service; the form only checks its length
    and characters, as for marking sent.
    """
    done = submit(
        DraftMarkSentForm(request.POST),
        lambda data: draft_delivery.draft_release_send(
            draft_id=draft_id, actor=request.user, now=timezone.now(), note=data["note"]
        ),
    )
    return _card(request, draft_id, done)


@staff_required
@require_POST
def customer_draft_create(request: StaffRequest, customer_id: int) -> HttpResponse:
    customer = customer_get(customer_id=customer_id)
    form = DraftCreateForm(request.POST)
    done = submit(
        form,
        lambda data: draft_services.draft_create(
            customer_id=customer.pk, author=request.user, now=timezone.now(), **data
        ),
    )
    if done.done:
        form = DraftCreateForm(initial={"to": customer.contact_email})
    elif not request.htmx:  # the whole page again, the refusal beside the form
        context = customer_page_context(request, customer, draft_form=form)
        return render(request, "customer_ops/customers/detail.html", context, status=422)
    return region(
        request,
        "customer_ops/customers/detail.html#customer-drafts",
        lambda: {
            "customer": customer,
            "drafts": customer_recent_drafts(customer_id=customer.pk, limit=RECENT_DRAFTS),
            "draft_total": customer_draft_count(customer_id=customer.pk),
            "draft_form": form,
            "draft_created": done.done,
        },
        back=reverse("customer-page", kwargs={"customer_id": customer.pk}),
        error=done.error,
        events=("drafts-changed",),
    )


@founder_required
@require_GET
def approvals_badge(request: HtmxHttpRequest) -> HttpResponse:
    """The navigation's pending count, refreshed after a draft changes."""
    return render(request, "base.html#nav-approvals-badge")
