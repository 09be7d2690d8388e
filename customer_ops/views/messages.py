"""Conversations in the console: a ticket's thread and notes, and the unmatched inbox.

New customer messages show up without a reload by htmx polling (the thread every 10 s, the
unmatched list every 15 s, the queue every 15 s): a few staff on a handful of pages, behind
gunicorn's sync workers, where a held-open server-sent-events stream would tie up a worker per
open tab. Polling costs one small indexed query per tick and needs nothing new in production.
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from customer_ops.access import StaffRequest, staff_required
from customer_ops.models import Customer
from customer_ops.selectors.customers import customer_choices
from customer_ops.selectors.messages import (
    attachment_for_download,
    ticket_thread,
    unmatched_messages,
)
from customer_ops.selectors.tickets import ticket_get
from customer_ops.services.messages import message_assign, message_note_add
from customer_ops.views.actions import region, submit
from dealix.http import HtmxHttpRequest

THREAD = "customer_ops/messages/thread.html"
UNMATCHED = "customer_ops/messages/unmatched.html"


class NoteForm(forms.Form):
    text = forms.CharField(max_length=5000, strip=True)


class AssignForm(forms.Form):
    customer = forms.ModelChoiceField(queryset=Customer.objects.all())


def thread_context(ticket_id: int, *, note_error: str = "") -> dict[str, object]:
    return {
        "ticket": ticket_get(ticket_id=ticket_id, now=timezone.now()),
        "thread": list(ticket_thread(ticket_id=ticket_id)),
        "note_error": note_error,
    }


@staff_required
@require_GET
@vary_on_headers("HX-Request")
def ticket_thread_view(request: HtmxHttpRequest, ticket_id: int) -> HttpResponse:
    if not request.htmx:
        return redirect("ticket-page", ticket_id=ticket_id)
    return render(request, THREAD, thread_context(ticket_id))


@staff_required
@require_POST
def ticket_note(request: StaffRequest, ticket_id: int) -> HttpResponse:
    done = submit(
        NoteForm(request.POST),
        lambda data: message_note_add(
            ticket_id=ticket_id, text=data["text"], actor=request.user, now=timezone.now()
        ),
    )
    return region(
        request,
        THREAD,
        lambda: thread_context(ticket_id, note_error=done.error),
        back=reverse("ticket-page", kwargs={"ticket_id": ticket_id}),
        error=done.error,
    )


def _unmatched_context(error: str = "") -> dict[str, object]:
    return {
        "messages_waiting": list(unmatched_messages()[:200]),
        "customers": customer_choices(),
        "error": error,
    }


@staff_required
@require_GET
@vary_on_headers("HX-Request")
def unmatched_inbox(request: HtmxHttpRequest) -> HttpResponse:
    template = UNMATCHED + ("#unmatched-list" if request.htmx else "")
    return render(request, template, _unmatched_context())


@staff_required
@require_POST
def unmatched_assign(request: StaffRequest, message_id: int) -> HttpResponse:
    done = submit(
        AssignForm(request.POST),
        lambda data: message_assign(
            message_id=message_id,
            customer_id=data["customer"].pk,
            actor=request.user,
            now=timezone.now(),
        ),
    )
    return region(
        request,
        UNMATCHED + "#unmatched-list",
        lambda: _unmatched_context(done.error),
        back=reverse("messages-unmatched-page"),
        error=done.error,
    )


@staff_required
@require_GET
def message_attachment(request: HtmxHttpRequest, attachment_id: int) -> HttpResponse:
    """An email attachment, for staff only, always as a download: never rendered by the browser
    (whatever type the sender claimed, it is served as bytes, not sniffed, not inline)."""
    attachment = attachment_for_download(attachment_id=attachment_id)
    if attachment is None:
        raise Http404("no such attachment")
    response = HttpResponse(
        bytes(attachment.content or b""), content_type="application/octet-stream"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=attachment.name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
