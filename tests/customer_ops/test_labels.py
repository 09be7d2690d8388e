"""One labels module: every code people read has a label, in Arabic and in English."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from customer_ops import labels
from customer_ops.domain.ledger import LedgerVerb
from customer_ops.domain.transitions import (
    ConnectorState,
    DraftStatus,
    IncidentStatus,
    TicketStatus,
)
from customer_ops.models import LedgerEntry
from customer_ops.services.ledger import ledger_record
from tests.customer_ops.views.test_i18n import ARABIC


def test_every_ledger_verb_has_a_label() -> None:
    assert set(labels.LEDGER_VERB_LABELS) == set(LedgerVerb)


@pytest.mark.parametrize("verb", list(LedgerVerb), ids=str)
def test_every_ledger_verb_reads_in_arabic_and_in_english(verb: LedgerVerb) -> None:
    with translation.override("ar"):
        arabic = labels.ledger_verb_label(verb)
    with translation.override("en"):
        english = labels.ledger_verb_label(verb)

    assert ARABIC.search(arabic)
    assert english and not ARABIC.search(english)


@pytest.mark.parametrize(
    ("table", "codes"),
    [
        (labels.STATE_LABELS, ConnectorState),
        (labels.STATE_SHORT_LABELS, ConnectorState),
        (labels.DRAFT_STATUS_LABELS, DraftStatus),
        (labels.TICKET_STATUS_LABELS, TicketStatus),
        (labels.INCIDENT_STATUS_LABELS, IncidentStatus),
    ],
    ids=["connector", "connector-short", "draft", "ticket", "incident"],
)
def test_every_status_has_a_label(table: Any, codes: Any) -> None:
    assert set(table) == set(codes)


def test_an_old_verb_shows_its_code() -> None:
    assert labels.ledger_verb_label("drafts.renamed_long_ago") == "drafts.renamed_long_ago"


@pytest.mark.django_db
def test_the_ledger_refuses_an_undeclared_verb(founder: Any) -> None:
    with pytest.raises(ValueError, match="not a valid LedgerVerb"):
        ledger_record(verb="drafts.teleported", obj=founder, at=dt.datetime.now(dt.UTC))  # type: ignore[arg-type]

    assert not LedgerEntry.objects.exists()
