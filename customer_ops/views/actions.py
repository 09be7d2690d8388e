"""What every console action does: run the form's one service call, then answer with a region.

`submit` validates the form and runs the service call with its cleaned data; a refusal lands on
the field it blames (or on the form), in the reader's language — except a rule about who may act
(`RoleRefused`), which the page answers with 403. `region` renders the piece of the page htmx
swaps in: 200 with the `HX-Trigger` events that tell the other regions to refresh, or 422 with the
refusal; a plain (non-htmx) post goes back to its page with the refusal flashed. `errors_text` is
a form's errors as one line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django_htmx.http import trigger_client_event

from customer_ops.domain.errors import DomainError, RoleRefused
from customer_ops.labels import refusal_text
from dealix.http import HtmxHttpRequest


def errors_text(form: forms.Form) -> str:
    """Every error of the form (fields and the form as a whole) as one line."""
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


@dataclass(frozen=True)
class Submission[T]:
    """What became of a submitted form: done with the service's result, or refused."""

    form: forms.Form
    done: bool
    result: T | None = None

    @property
    def error(self) -> str:
        """The refusal (or the form's errors) as one line; "" when it was done."""
        return "" if self.done else errors_text(self.form)


def _attach_refusal(form: forms.Form, exc: DomainError | ValidationError) -> None:
    """Attach a refusal to the form field it blames (or to the form as a whole)."""
    if isinstance(exc, RoleRefused):
        raise PermissionDenied(refusal_text(exc)) from exc  # who may act: the page answers 403
    if isinstance(exc, ValidationError):
        # Model validation inside a service (full_clean): already translated per field.
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return
    form.add_error(exc.field if exc.field in form.fields else None, refusal_text(exc))


def submit[T](
    form: forms.Form | None,
    call: Callable[[dict[str, Any]], T],
) -> Submission[T]:
    """Validate `form`, then run `call(cleaned_data)`; a refusal lands on the form.

    Without a form (an action with no input: approve, send) the refusal lands on an empty one, so
    `Submission.error` reads the same either way. A `RoleRefused` (a rule about who may act) is
    a 403 page that names the rule, as everywhere else.
    """
    form = form if form is not None else forms.Form({})
    if not form.is_valid():
        return Submission(form, done=False)
    try:
        result = call(form.cleaned_data)
    except (DomainError, ValidationError) as exc:
        _attach_refusal(form, exc)
        return Submission(form, done=False)
    return Submission(form, done=True, result=result)


def region(
    request: HtmxHttpRequest,
    template: str,
    context: Callable[[], Mapping[str, Any]],
    *,
    back: str,
    error: str = "",
    events: Sequence[str] = (),
) -> HttpResponse:
    """The region `template` ("<page>.html#<partial>") after an action, for htmx to swap in.

    Done (no `error`): 200, and `events` go out as `HX-Trigger` for the regions that listen.
    Refused: 422, no events. `context` is only built when the region is rendered: a plain post
    is sent back to `back`, the refusal flashed.
    """
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(back)
    response = render(request, template, context(), status=422 if error else 200)
    if not error:
        for event in events:
            trigger_client_event(response, event)
    return response
