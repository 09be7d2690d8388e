"""Tickets: the queue (filtered, paginated, exported), the new-ticket form and the ticket page.

The queue is sorted by the stored `next_due_at` (the earliest running clock) and marks breached
rows with the `breached_now` annotation of `selectors.tickets.ticket_queue`; the countdowns tick
in the browser (static/js/countdown.js). The new-ticket form asks `classify_priority` as the
operator types, through `ticket_classify`, which only classifies and never writes.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from customer_ops.access import StaffRequest, staff_required
from customer_ops.domain.priority import (
    SUPPORT_PRIORITIES,
    Priority,
    classify_priority,
    priority_get,
)
from customer_ops.domain.transitions import (
    TICKET_MOVES,
    TicketStatus,
    allowed_moves,
)
from customer_ops.forms import (
    DraftEditForm,
    TicketAssignForm,
    TicketClassifyForm,
    TicketCloseForm,
    TicketCreateForm,
    TicketFilterForm,
    TicketMoveForm,
    TicketPriorityForm,
    TicketReplyForm,
)
from customer_ops.labels import MOVE_LABELS, TICKET_STATUS_LABELS
from customer_ops.models import Ticket
from customer_ops.models.drafts import DraftChannel
from customer_ops.models.tickets import TicketChannel
from customer_ops.selectors.calendar import business_timezone, due_time_calendar
from customer_ops.selectors.drafts import draft_cards, ticket_draft_get, ticket_drafts
from customer_ops.selectors.messages import ticket_thread
from customer_ops.selectors.tickets import (
    QueueTicket,
    queue_counts,
    ticket_events,
    ticket_get,
    ticket_queue_for,
    ticket_queue_page,
    ticket_sla_now,
)
from customer_ops.services import drafts as draft_services
from customer_ops.services import tickets as ticket_services
from customer_ops.views.actions import region, submit
from dealix.http import HtmxHttpRequest

TICKETS_PER_PAGE = 25
QUEUE = "customer_ops/tickets/queue.html"
NEW = "customer_ops/tickets/new.html"
PAGE = "customer_ops/tickets/detail.html"
# Where a reply goes by default, by the channel the ticket came in on (the service's own default).
REPLY_CHANNEL = {
    TicketChannel.EMAIL: DraftChannel.EMAIL,
    TicketChannel.WEB_FORM: DraftChannel.EMAIL,
    TicketChannel.WHATSAPP: DraftChannel.WHATSAPP,
    TicketChannel.PHONE: DraftChannel.PHONE,
}
PRIORITY_ORDER = [priority.value for priority in Priority]


def _filters(request: HtmxHttpRequest) -> tuple[TicketFilterForm, dict[str, Any]]:
    """The filter form and the values that validated (an invalid one is simply not applied)."""
    form = TicketFilterForm(request.GET)
    form.is_valid()
    return form, dict(form.cleaned_data)


# ── Queue ───────────────────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True, slots=True)
class QueueRow:
    """A ticket of the queue page with the words and links its cells show."""

    ticket: QueueTicket
    url: str
    customer_url: str
    status: str
    channel: str
    marks: str  # the row's classes beyond `queue__row`: breached (still being worked on), paused


def _id_url(name: str, kwarg: str) -> Callable[[int], str]:
    """`reverse(name, kwargs={kwarg: id})` for a page of ids: reversed once, each id put in."""
    marker = 987654321
    head, _marker, tail = reverse(name, kwargs={kwarg: marker}).partition(str(marker))
    return lambda pk: f"{head}{pk}{tail}"


def _queue_rows(tickets: Iterable[QueueTicket]) -> list[QueueRow]:
    """The page's rows, with each label translated and each URL reversed once per page."""
    statuses = {code.value: str(label) for code, label in TICKET_STATUS_LABELS.items()}
    channels = {code: str(label) for code, label in TicketChannel.choices}
    ticket_url = _id_url("ticket-page", "ticket_id")
    customer_url = _id_url("customer-page", "customer_id")
    return [
        QueueRow(
            ticket=ticket,
            url=ticket_url(ticket.pk),
            customer_url=customer_url(ticket.customer_id),
            status=statuses.get(ticket.status, ticket.status),
            channel=channels.get(ticket.channel, ticket.channel),
            marks=_row_marks(ticket),
        )
        for ticket in tickets
    ]


def _row_marks(ticket: QueueTicket) -> str:
    marks = ""
    if ticket.breached_now and ticket.status not in (TicketStatus.RESOLVED, TicketStatus.CLOSED):
        marks += " row--breached"
    if ticket.status == TicketStatus.PENDING_CUSTOMER:
        marks += " row--paused"
    return marks


@staff_required
@require_GET
@vary_on_headers("HX-Request")
def ticket_queue(request: StaffRequest) -> HttpResponse:
    now = timezone.now()
    form, filters = _filters(request)
    page = ticket_queue_page(
        filters=filters,
        now=now,
        user=request.user,
        number=request.GET.get("page"),
        per_page=TICKETS_PER_PAGE,
    )
    context: dict[str, Any] = {
        "filter_form": form,
        "page_obj": page,
        "rows": _queue_rows(page),
        "now": now,
    }
    template_name = QUEUE
    if request.htmx:
        template_name += "#queue-table"
    else:
        context["counts"] = queue_counts(now=now)
    return render(request, template_name, context)


class _Echo:
    """A file-like object whose write returns the line: csv.writer feeding a streaming response."""

    def write(self, value: str) -> str:
        return value


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (customers write the subjects)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _local(moment: Any) -> str:
    return moment.astimezone(business_timezone()).isoformat(timespec="seconds") if moment else ""


@staff_required
@require_GET
def ticket_queue_csv(request: StaffRequest) -> StreamingHttpResponse:
    """The filtered queue as CSV, streamed row by row in the queue's order (UTF-8 with BOM)."""
    now = timezone.now()
    _form, filters = _filters(request)
    tickets = ticket_queue_for(filters=filters, now=now, user=request.user)
    header = [
        _("الرقم"),
        _("الموضوع"),
        _("العميل"),
        _("الأولوية"),
        _("الكلمة المطابقة"),
        _("الحالة"),
        _("المسؤول"),
        _("القناة"),
        _("وقت الفتح"),
        _("الموعد القادم"),
        _("موعد أول رد"),
        _("موعد الحل"),
        _("متجاوزة الآن"),
    ]
    yes, no = _("نعم"), _("لا")

    def rows() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(header)
        for ticket in tickets.iterator(chunk_size=1000):
            yield writer.writerow(
                [
                    ticket.pk,
                    _cell(ticket.subject),
                    _cell(ticket.customer.company_name),
                    ticket.priority,
                    _cell(ticket.matched_keyword),
                    ticket.get_status_display(),
                    ticket.assignee.get_username() if ticket.assignee else "",
                    ticket.get_channel_display(),
                    _local(ticket.opened_at),
                    _local(ticket.next_due_at),
                    _local(ticket.first_response_due_at),
                    _local(ticket.resolution_due_at),
                    yes if ticket.breached_now else no,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime(now, business_timezone()).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="tickets-{stamp}.csv"'
    return response


def _page_url(ticket_id: int) -> str:
    return reverse("ticket-page", kwargs={"ticket_id": ticket_id})


# ── New ticket ──────────────────────────────────────────────────────────────────────────────────
def _decision_for(subject: str, body: str) -> Any:
    text = f"{subject}\n{body}"
    return classify_priority(text) if text.strip() else None


@staff_required
@require_http_methods(["GET", "POST"])
def ticket_new(request: StaffRequest) -> HttpResponse:
    classify_url = reverse("ticket-classify")
    initial = {"customer": request.GET.get("customer", "")}
    form = TicketCreateForm(request.POST or None, initial=initial, classify_url=classify_url)
    if request.method == "POST":
        done = submit(
            form,
            lambda data: ticket_services.ticket_create(
                customer_id=data["customer"],
                subject=data["subject"],
                body=data["body"],
                channel=data["channel"],
                assignee_id=data["assignee"],
                actor=request.user,
                now=timezone.now(),
            ),
        )
        if done.result is not None:
            url = _page_url(done.result.pk)
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    decision = _decision_for(request.POST.get("subject", ""), request.POST.get("body", ""))
    template_name = NEW + ("#ticket-form" if request.htmx else "")
    status = 422 if form.errors else 200
    context = {"form": form, "decision": decision, "levels": SUPPORT_PRIORITIES}
    return render(request, template_name, context, status=status)


@staff_required
@require_POST
def ticket_classify(request: HtmxHttpRequest) -> HttpResponse:
    """The auto-priority of what the operator has typed so far (a badge; nothing is saved)."""
    form = TicketClassifyForm(request.POST)
    form.is_valid()
    decision = _decision_for(
        form.cleaned_data.get("subject", ""), form.cleaned_data.get("body", "")
    )
    return render(request, NEW + "#priority-preview", {"decision": decision})


# ── Ticket page ─────────────────────────────────────────────────────────────────────────────────


def _moves(ticket: Ticket) -> list[dict[str, str]]:
    """The status buttons the transition table allows (closing has its own form)."""
    current = TicketStatus(ticket.status)
    order = list(TicketStatus)
    moves = sorted(allowed_moves(TICKET_MOVES, current), key=order.index)
    return [
        {"to": move.value, "kind": MOVE_LABELS.get((current, move), move.value)}
        for move in moves
        if move is not TicketStatus.CLOSED
    ]


def _priority_options(ticket: Ticket) -> list[dict[str, Any]]:
    """Priorities a person may set: any as urgent as the classified one or more, but the current."""
    floor = PRIORITY_ORDER.index(ticket.classified_priority)
    current = PRIORITY_ORDER.index(ticket.priority)
    return [
        {"value": value, "raise": index < current, "level": priority_get(value)}
        for index, value in enumerate(PRIORITY_ORDER[: floor + 1])
        if value != ticket.priority
    ]


def _reply_initial(ticket: Ticket) -> dict[str, str]:
    channel = REPLY_CHANNEL[TicketChannel(ticket.channel)]
    customer = ticket.customer
    to = customer.contact_email if channel == DraftChannel.EMAIL else customer.contact_phone
    return {"channel": channel.value, "to": to, "body": ticket_services.reply_body(ticket)}


def ticket_context(
    request: HtmxHttpRequest,
    ticket_id: int,
    *,
    error: str = "",
    error_action: str = "",
    **forms: Any,
) -> dict[str, Any]:
    """What the ticket page shows; action views re-render pieces of it with their bound forms."""
    now = timezone.now()
    ticket = ticket_get(ticket_id=ticket_id, now=now)
    sla = ticket_sla_now(ticket=ticket, now=now)
    return {
        "ticket": ticket,
        "now": now,
        "sla": sla,
        "due_calendar": due_time_calendar(sla=sla, opened_at=ticket.opened_at),
        "level": priority_get(ticket.priority),
        "moves": _moves(ticket),
        "priority_options": _priority_options(ticket),
        "can_close": TicketStatus.CLOSED
        in allowed_moves(TICKET_MOVES, TicketStatus(ticket.status)),
        "error": error,
        "error_action": error_action,
        "assign_form": forms.get("assign_form")
        or TicketAssignForm(initial={"assignee": ticket.assignee_id or ""}),
        "priority_form": forms.get("priority_form") or TicketPriorityForm(),
        "close_form": forms.get("close_form") or TicketCloseForm(),
        "move_form": forms.get("move_form") or TicketMoveForm(),
        "reply_form": forms.get("reply_form") or TicketReplyForm(initial=_reply_initial(ticket)),
    }


def _reply_context(
    request: HtmxHttpRequest,
    ticket_id: int,
    *,
    reply_created: Any = None,
    edit_form: DraftEditForm | None = None,
    edit_draft_id: int | None = None,
    edited_id: int | None = None,
) -> dict[str, Any]:
    """The reply area's own pieces: the ticket's drafts as cards (claims check, edit form)."""
    drafts = ticket_drafts(ticket_id=ticket_id)
    return {
        "drafts": drafts,
        "reply_cards": draft_cards(drafts=drafts, user=request.user),
        "reply_created": reply_created,
        "edit_form": edit_form,
        "edit_draft_id": edit_draft_id,
        "edited_id": edited_id,
    }


@staff_required
@require_GET
@vary_on_headers("HX-Request")
def ticket_page(request: HtmxHttpRequest, ticket_id: int) -> HttpResponse:
    context = ticket_context(request, ticket_id)
    template_name = PAGE
    if request.htmx and request.htmx.target == "ticket-events":
        template_name += "#ticket-events"
        context["events"] = ticket_events(ticket_id=ticket_id)
    elif request.htmx and request.htmx.target == "ticket-panel":
        template_name += "#ticket-panel"
    elif request.htmx and request.htmx.target == "ticket-reply":
        # The reply template follows the priority: the area refreshes after a priority change.
        template_name += "#ticket-reply"
        context.update(_reply_context(request, ticket_id))
    else:
        context.update(_reply_context(request, ticket_id))
        context["events"] = ticket_events(ticket_id=ticket_id)
        context["thread"] = list(ticket_thread(ticket_id=ticket_id))
        context["note_error"] = ""
    return render(request, template_name, context)


@staff_required
@require_POST
def ticket_move(request: StaffRequest, ticket_id: int) -> HttpResponse:
    """Pause (waiting on the customer), resume, resolve or reopen; closing has its own view."""
    done = submit(
        TicketMoveForm(request.POST),
        lambda data: ticket_services.ticket_change_status(
            ticket_id=ticket_id,
            to=TicketStatus(data["to"]),
            note=data["note"],
            actor=request.user,
            now=timezone.now(),
        ),
    )
    return region(
        request,
        f"{PAGE}#ticket-panel",
        lambda: ticket_context(request, ticket_id, error=done.error, error_action="move"),
        back=_page_url(ticket_id),
        error=done.error,
        events=("ticket-changed",),
    )


@staff_required
@require_POST
def ticket_close(request: StaffRequest, ticket_id: int) -> HttpResponse:
    """Close a resolved ticket with the customer's confirmation (what they said, and when)."""
    form = TicketCloseForm(request.POST)
    done = submit(
        form,
        lambda data: ticket_services.ticket_change_status(
            ticket_id=ticket_id,
            to=TicketStatus.CLOSED,
            customer_confirmation=data["customer_confirmation"],
            customer_confirmed_at=data["customer_confirmed_at"],
            actor=request.user,
            now=timezone.now(),
        ),
    )
    return region(
        request,
        f"{PAGE}#ticket-panel",
        lambda: ticket_context(
            request,
            ticket_id,
            error_action="" if done.done else "close",
            close_form=None if done.done else form,
        ),
        back=_page_url(ticket_id),
        error=done.error,
        events=("ticket-changed",),
    )


@staff_required
@require_POST
def ticket_priority_set(request: StaffRequest, ticket_id: int) -> HttpResponse:
    """Raise the priority (or bring it back towards the classified one, never below it)."""
    form = TicketPriorityForm(request.POST)
    done = submit(
        form,
        lambda data: ticket_services.ticket_update(
            ticket_id=ticket_id,
            priority=data["priority"],
            note=data["note"],
            actor=request.user,
            now=timezone.now(),
        ),
    )
    return region(
        request,
        f"{PAGE}#ticket-panel",
        lambda: ticket_context(
            request,
            ticket_id,
            error_action="" if done.done else "priority",
            priority_form=None if done.done else form,
        ),
        back=_page_url(ticket_id),
        error=done.error,
        # The reply area listens: the first-response template is the priority's.
        events=("ticket-changed", "ticket-priority-changed"),
    )


@staff_required
@require_POST
def ticket_assign(request: StaffRequest, ticket_id: int) -> HttpResponse:
    form = TicketAssignForm(request.POST)
    done = submit(
        form,
        lambda data: ticket_services.ticket_update(
            ticket_id=ticket_id,
            assignee_id=data["assignee"],
            actor=request.user,
            now=timezone.now(),
        ),
    )
    return region(
        request,
        f"{PAGE}#ticket-panel",
        lambda: ticket_context(
            request,
            ticket_id,
            error_action="" if done.done else "assign",
            assign_form=None if done.done else form,
        ),
        back=_page_url(ticket_id),
        error=done.error,
        events=("ticket-changed",),
    )


@staff_required
@require_POST
def ticket_reply(request: StaffRequest, ticket_id: int) -> HttpResponse:
    """Draft the reply (the priority's first-response template by default) for approval."""
    form = TicketReplyForm(request.POST)
    done = submit(
        form,
        lambda data: ticket_services.ticket_reply_draft(
            ticket_id=ticket_id,
            channel=data["channel"],
            to=data["to"],
            body=data["body"],
            actor=request.user,
            now=timezone.now(),
        ),
    )
    return region(
        request,
        f"{PAGE}#ticket-reply",
        lambda: {
            **ticket_context(request, ticket_id, reply_form=None if done.done else form),
            **_reply_context(request, ticket_id, reply_created=done.result),
        },
        back=_page_url(ticket_id),
        error=done.error,
        events=("drafts-changed", "ticket-changed"),
    )


@staff_required
@require_POST
def ticket_draft_edit(request: StaffRequest, ticket_id: int, draft_id: int) -> HttpResponse:
    """Correct one of the ticket's reply drafts in the reply area (the claims flag, a typo)."""
    ticket_draft_get(ticket_id=ticket_id, draft_id=draft_id)  # another ticket's draft: 404
    form = DraftEditForm(request.POST)
    done = submit(
        form,
        lambda data: draft_services.draft_edit(
            draft_id=draft_id, actor=request.user, now=timezone.now(), **data
        ),
    )
    return region(
        request,
        f"{PAGE}#ticket-reply",
        lambda: {
            **ticket_context(request, ticket_id),
            **_reply_context(
                request,
                ticket_id,
                edit_form=None if done.done else form,
                edit_draft_id=draft_id,
                edited_id=draft_id if done.done else None,
            ),
        },
        back=_page_url(ticket_id),
        error=done.error,
        events=("drafts-changed", "ticket-changed"),
    )
