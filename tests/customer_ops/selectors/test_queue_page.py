"""The queue's page of tickets (#18): one query sorts and counts the ids, the rows are read by id,
and the search's condition finds exactly what the earlier shape found. Runs on SQLite and, with
DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from customer_ops.domain.search import SearchKind, search_terms
from customer_ops.models import Ticket
from customer_ops.selectors.pagination import page_by_ids
from customer_ops.selectors.search import (
    _TICKET_REF,
    customer_ids_matching,
    search_entries,
    ticket_search_q,
)
from customer_ops.selectors.tickets import ticket_queue_for, ticket_queue_page
from customer_ops.services.messages import message_note_add
from tests.factories import make_customer, make_ticket

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 8, 7, 0, tzinfo=dt.UTC)
MIN = dt.timedelta(minutes=1)


def _earlier_search_q(query: str) -> Q | None:
    """The condition as it was before #18: an OR of the two subqueries (and the number)."""
    terms = search_terms(query)
    if not terms:
        return None
    condition = Q(
        pk__in=search_entries(terms, [SearchKind.TICKET, SearchKind.MESSAGE])
        .filter(ticket_id__isnull=False)
        .values("ticket_id")
    ) | Q(customer_id__in=customer_ids_matching(terms))
    ref = _TICKET_REF.match(query.strip())
    if ref:
        condition |= Q(pk=int(ref.group(1)))
    return condition


@pytest.fixture
def desk(founder: Any, customer: Any, operator: Any) -> dict[str, Any]:
    """Tickets found by subject, body, keyword, a message, their customer's name or number."""
    flowers = make_customer(actor=founder, name="مؤسسة الزهور للفواتير")
    other = make_customer(actor=founder, name="شركة أخرى")
    tickets = {
        "subject": make_ticket(customer=customer, actor=operator, now=T0, subject="الفاتورة"),
        "body": make_ticket(
            customer=other, actor=operator, now=T0 + MIN, subject="سؤال", body="فاتوره مارس 5512"
        ),
        "keyword": make_ticket(customer=other, actor=operator, now=T0, subject="تسريب بيانات"),
        "message": make_ticket(customer=other, actor=operator, now=T0 + 2 * MIN, subject="طلب"),
        "customer": make_ticket(customer=flowers, actor=operator, now=T0, subject="استفسار"),
        "none": make_ticket(customer=other, actor=operator, now=T0, subject="شكر"),
    }
    message_note_add(
        ticket_id=tickets["message"].pk, text="أرسلنا الفاتورة مرتين", actor=operator, now=T0
    )
    return tickets


QUERIES = ["فاتورة", "الفاتوره", "الزهور", "فواتير", "تسريب", "5512", "مارس فاتوره", "شركة", "x"]


@pytest.mark.parametrize("query", QUERIES)
def test_the_search_condition_finds_what_the_earlier_shape_found(
    query: str, desk: dict[str, Any]
) -> None:
    new, old = ticket_search_q(query), _earlier_search_q(query)
    assert new is not None and old is not None

    found = set(Ticket.objects.filter(new).values_list("pk", flat=True))

    assert found == set(Ticket.objects.filter(old).values_list("pk", flat=True))


def test_the_search_condition_finds_a_ticket_by_its_number(desk: dict[str, Any]) -> None:
    wanted = desk["none"]

    new, old = ticket_search_q(f"#{wanted.pk}"), _earlier_search_q(f"#{wanted.pk}")

    assert new is not None and old is not None
    found = set(Ticket.objects.filter(new).values_list("pk", flat=True))
    assert wanted.pk in found
    assert found == set(Ticket.objects.filter(old).values_list("pk", flat=True))


def test_a_customer_match_finds_every_ticket_of_that_customer(desk: dict[str, Any]) -> None:
    condition = ticket_search_q("الزهور")

    assert condition is not None
    assert set(Ticket.objects.filter(condition)) == {desk["customer"]}


@pytest.mark.parametrize("number", [None, "", "1", "2", "3", "4", "0", "-1", "x", "2.5", "9999"])
def test_page_by_ids_answers_every_page_number_as_get_page_does(
    number: Any, customer: Any, operator: Any
) -> None:
    for index in range(7):
        make_ticket(customer=customer, actor=operator, now=T0 + index * MIN, subject=f"ت {index}")
    queryset = Ticket.objects.order_by("-opened_at", "-id")
    expected = Paginator(queryset, 3).get_page(number)

    page = page_by_ids(queryset, number=number, per_page=3)

    assert page.number == expected.number
    assert page.paginator.count == expected.paginator.count == 7
    assert page.paginator.num_pages == expected.paginator.num_pages
    assert [t.pk for t in page] == [t.pk for t in expected]


def test_page_by_ids_of_nothing_is_an_empty_first_page() -> None:
    page = page_by_ids(Ticket.objects.order_by("id"), number="3", per_page=25)

    assert (page.number, page.paginator.count, list(page)) == (1, 0, [])


@pytest.mark.parametrize("status", ["active", "all"])
def test_the_queue_page_is_the_queue_in_its_order_with_its_total(
    status: str, desk: dict[str, Any], operator: Any
) -> None:
    filters = {"status": status, "q": "فاتورة"}
    whole = list(ticket_queue_for(filters=filters, now=T0, user=operator))

    page = ticket_queue_page(filters=filters, now=T0, user=operator, number="1", per_page=2)

    assert [t.pk for t in page] == [t.pk for t in whole[:2]]
    assert page.paginator.count == len(whole)
    assert [t.breached_now for t in page] == [t.breached_now for t in whole[:2]]


def test_the_queue_page_reads_two_queries_and_the_search_one_more(
    desk: dict[str, Any], operator: Any
) -> None:
    def queries(filters: dict[str, str]) -> int:
        with CaptureQueriesContext(connection) as ctx:
            page = ticket_queue_page(
                filters=filters, now=T0, user=operator, number="1", per_page=25
            )
            [(t.customer.company_name, t.assignee) for t in page]
        return len(ctx.captured_queries)

    assert queries({}) == 2  # ids with their total, then the rows with customer and assignee
    assert queries({"status": "all", "q": "فاتورة"}) == 3  # and the matching customers first


def test_rows_are_read_by_id_without_the_filters(desk: dict[str, Any], operator: Any) -> None:
    filters = {"status": "all", "q": "فاتورة"}

    with CaptureQueriesContext(connection) as ctx:
        list(ticket_queue_page(filters=filters, now=T0, user=operator, number=1, per_page=25))

    rows_query = ctx.captured_queries[-1]["sql"].lower()
    assert "searchentry" not in rows_query
