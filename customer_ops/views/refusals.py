"""Showing a service's refusal to the person who asked, in the language they are reading."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from customer_ops.domain.errors import DomainError, RoleRefused
from customer_ops.labels import refusal_text

Refusal = DomainError


def add_refusal(form: forms.Form, exc: Refusal | ValidationError) -> None:
    """Attach a refusal to the form field it blames (or to the form as a whole)."""
    if isinstance(exc, RoleRefused):  # a rule about who may act: the page answers 403
        raise PermissionDenied(refusal_text(exc)) from exc
    if isinstance(exc, ValidationError):
        # Model validation inside a service (full_clean): already translated per field.
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, refusal_text(exc))


def form_action_error(form: forms.Form, action: Callable[[Mapping[str, Any]], object]) -> str:
    """Run `action(cleaned_data)` if the form is valid; the error text to show, or "" if it worked."""
    if not form.is_valid():
        return " ".join(str(error) for errors in form.errors.values() for error in errors)
    try:
        action(form.cleaned_data)
    except RoleRefused as exc:
        raise PermissionDenied(refusal_text(exc)) from exc
    except DomainError as exc:
        return refusal_text(exc)
    return ""


def submit_form(form: forms.Form, action: Callable[[Mapping[str, Any]], object]) -> bool:
    """Run `action(cleaned_data)` if the form is valid; a refusal lands on the form. True if done."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except DomainError as exc:
        add_refusal(form, exc)
        return False
    return True
