"""The one search on the database: every Arabic variant finds its ticket, and writes keep the
stored search text current. Runs on SQLite (FTS5 trigram) and, with DATABASE_URL, PostgreSQL
(trigram GIN)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from customer_ops.domain.search import SearchKind, search_terms
from customer_ops.models import Customer, Incident, SearchEntry, Ticket
from customer_ops.selectors import search as search_selectors
from customer_ops.selectors.customers import customer_list_for
from customer_ops.selectors.search import newest_matching, search_entries, search_everything
from customer_ops.selectors.tickets import ticket_queue_for
from customer_ops.services.contacts import contact_opt_in_record
from customer_ops.services.customers import customer_update
from customer_ops.services.messages import message_assign, message_note_add, message_receive
from tests.factories import make_customer, make_incident, make_ticket

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 8, 7, 0, tzinfo=dt.UTC)
MIN = dt.timedelta(minutes=1)

# (what the customer wrote, what the operator types): each pair differs only by the variant.
VARIANTS = [
    pytest.param("طلب إسراء للتحديث", "اسراء", id="hamza-below"),
    pytest.param("رسالة من أحمد", "احمد", id="hamza-above"),
    pytest.param("آمنة تسأل عن الحساب", "امنة", id="madda"),
    pytest.param("طلب اسراء للتحديث", "إسراء", id="hamza-in-query"),
    pytest.param("خطأ في الفاتورة", "فاتوره", id="taa-marbuta"),
    pytest.param("خطأ في الفاتوره", "الفاتورة", id="haa-for-taa-marbuta"),
    pytest.param("طلب من المستشفى", "مستشفي", id="alef-maqsura"),
    pytest.param("مُشْكِلَةٌ في الرَّبط", "مشكلة الربط", id="diacritics"),
    pytest.param("مشكلة الربط", "مُشكِلة", id="diacritics-in-query"),
    pytest.param("تأخير عـــاجل جدا", "عاجل", id="tatweel"),
    pytest.param("رقم الطلب ١٢٣٤٥", "12345", id="arabic-indic-digits"),
    pytest.param("رقم الطلب ۱۲۳۴۵", "12345", id="persian-digits"),
    pytest.param("order 12345 late", "١٢٣٤٥", id="digits-in-query"),
    pytest.param("Invoice NOT received", "invoice not", id="english-case"),
    pytest.param("ابلغني العميل", "أبلغني", id="hamza-missing-in-text"),
]


@pytest.fixture
def other(founder: Any) -> Any:
    return make_customer(actor=founder, name="مؤسسة أخرى")


@pytest.mark.parametrize(("written", "typed"), VARIANTS)
def test_each_variant_finds_its_ticket(
    written: str, typed: str, customer: Any, other: Any, operator: Any
) -> None:
    wanted = make_ticket(customer=customer, actor=operator, now=T0, subject=written)
    make_ticket(customer=other, actor=operator, now=T0, subject="سؤال عن التقرير", body="شكرا")

    queue = ticket_queue_for(filters={"q": typed, "status": "all"}, now=T0, user=operator)
    found = search_everything(query=typed)

    assert [ticket.pk for ticket in queue] == [wanted.pk]
    [tickets] = [group for group in found.groups if group.kind is SearchKind.TICKET]
    assert [hit.id for hit in tickets.hits] == [wanted.pk]
    assert any(segment.matched for segment in tickets.hits[0].title_marked)


def test_a_body_match_and_a_message_match_find_the_ticket(customer: Any, operator: Any) -> None:
    by_body = make_ticket(customer=customer, actor=operator, now=T0, body="الفاتورة لم تصل")
    by_note = make_ticket(customer=customer, actor=operator, now=T0 + MIN, subject="سؤال")
    make_ticket(customer=customer, actor=operator, now=T0, subject="أخرى", body="لا شيء")
    message_note_add(ticket_id=by_note.pk, text="أرسلنا الفاتوره مرتين", actor=operator, now=T0)

    queue = ticket_queue_for(filters={"q": "فاتورة", "status": "all"}, now=T0, user=operator)

    assert {ticket.pk for ticket in queue} == {by_body.pk, by_note.pk}


def test_every_word_must_match_and_a_ticket_number_finds_its_ticket(
    customer: Any, operator: Any
) -> None:
    both = make_ticket(customer=customer, actor=operator, now=T0, subject="فاتورة مارس خاطئة")
    make_ticket(customer=customer, actor=operator, now=T0, subject="فاتورة فبراير")

    def queue(q: str) -> list[int]:
        filters = {"q": q, "status": "all"}
        return [t.pk for t in ticket_queue_for(filters=filters, now=T0, user=operator)]

    assert queue("فاتوره مارس") == [both.pk]
    assert queue(f"#{both.pk}") == [both.pk]


def test_customers_are_found_by_name_contact_and_contact_points(
    founder: Any, operator: Any
) -> None:
    wanted = make_customer(
        actor=founder,
        name="مؤسسة الإسراء التجارية",
        contact_name="Mona Ali",
        contact_email="mona@alisra.example",
    )
    make_customer(actor=founder, name="شركة النور")
    contact_opt_in_record(
        customer_id=wanted.pk,
        channel="whatsapp",
        value="+966501112233",
        method="نموذج الطلب",
        actor=founder,
        now=T0,
    )

    def listed(q: str) -> list[int]:
        return [c.pk for c in customer_list_for(filters={"q": q})]

    assert listed("الاسراء") == [wanted.pk]
    assert listed("MONA") == [wanted.pk]
    assert listed("alisra.example") == [wanted.pk]
    assert listed("٥٠١١١٢٢٣٣") == [wanted.pk]
    assert listed("غير موجود") == []


def test_the_global_search_groups_by_kind_most_relevant_first(
    customer: Any, operator: Any, founder: Any
) -> None:
    in_body = make_ticket(
        customer=customer, actor=operator, now=T0 + 5 * MIN, subject="سؤال", body="عن المزامنة"
    )
    in_title = make_ticket(customer=customer, actor=operator, now=T0, subject="المزامنة متوقفة")
    incident = make_incident(actor=founder, now=T0, title="تأخر مزامنة Gmail")

    found = search_everything(query="مزامنه")

    assert [group.kind for group in found.groups] == [SearchKind.TICKET, SearchKind.INCIDENT]
    assert [hit.id for hit in found.groups[0].hits] == [in_title.pk, in_body.pk]
    assert [hit.id for hit in found.groups[1].hits] == [incident.pk]


def test_writes_keep_the_search_text_current(customer: Any, operator: Any, founder: Any) -> None:
    ticket = make_ticket(customer=customer, actor=operator, now=T0, subject="عـاجل: الفاتورة")
    assert SearchEntry.objects.get(kind="ticket", object_id=ticket.pk).text.startswith(
        "عاجل: الفاتوره"
    )

    customer_update(customer_id=customer.pk, actor=founder, now=T0, company_name="شركة الأمل")
    customer_text = SearchEntry.objects.get(kind="customer", object_id=customer.pk).text
    assert customer_text.startswith("شركه الامل")


def test_a_whatsapp_message_is_searchable_as_it_arrives_and_when_assigned(
    customer: Any, operator: Any
) -> None:
    message = message_receive(
        channel="whatsapp",
        external_id="wamid.search-1",
        sender="+966555000111",
        sender_name="أبو فهد",
        kind="text",
        text="وين الفاتورة؟ رقمها ٧٧٨٨",
        at=T0,
        now=T0,
    )
    entry = SearchEntry.objects.get(kind="message", object_id=message.pk)
    assert (entry.ticket_id, entry.customer_id) == (None, None)
    assert [h.id for h in search_everything(query="7788").groups[0].hits] == [message.pk]

    message_assign(message_id=message.pk, customer_id=customer.pk, actor=operator, now=T0 + MIN)

    entry.refresh_from_db()
    message.refresh_from_db()
    assert (entry.ticket_id, entry.customer_id) == (message.ticket_id, customer.pk)
    queue = ticket_queue_for(filters={"q": "الفاتوره", "status": "all"}, now=T0, user=operator)
    assert [t.pk for t in queue] == [message.ticket_id]
    # The sender's number became the customer's contact point: the customer is found by it.
    assert [c.pk for c in customer_list_for(filters={"q": "555000111"})] == [customer.pk]


def test_the_database_reads_the_search_index(customer: Any, operator: Any) -> None:
    make_ticket(customer=customer, actor=operator, now=T0, subject="الفاتورة")
    queryset = search_entries(search_terms("فاتوره"), list(SearchKind))
    if connection.vendor == "postgresql":
        # A handful of rows: the planner would scan them; asked not to, it must have the index.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            plan = queryset.explain()
        assert "search_text_trgm_idx" in plan, plan
    else:
        plan = queryset.explain()
        assert "customer_ops_search_fts VIRTUAL TABLE INDEX" in plan
    assert queryset.count() == 1


def test_seed_demo_fills_the_search_text_of_every_ticket_customer_and_incident() -> None:
    call_command("seed_demo", force=True, tickets=40, verbosity=0)

    for model, kind in ((Ticket, "ticket"), (Customer, "customer"), (Incident, "incident")):
        ids = set(model.objects.values_list("pk", flat=True))
        indexed = set(SearchEntry.objects.filter(kind=kind).values_list("object_id", flat=True))
        assert ids and indexed == ids, kind


def _newest_by_sorting(terms: list[str], kind: SearchKind, limit: int) -> list[int]:
    rows = search_entries(terms, [kind]).order_by("-at", "-id")
    return list(rows.values_list("object_id", flat=True)[:limit])


@pytest.mark.parametrize("probes", [(1,), (3,), (4, 8), (1_000,)], ids=str)
def test_newest_matching_is_the_newest_matches_whatever_the_probe_finds(
    probes: tuple[int, ...], customer: Any, operator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: matches and non-matches interleaved in time, two at the same instant
    for n, subject in enumerate(["فاتورة", "سؤال", "الفاتوره", "سؤال", "سؤال", "فاتورتي", "سؤال"]):
        make_ticket(customer=customer, actor=operator, now=T0 + n * MIN, subject=subject)
    make_ticket(customer=customer, actor=operator, now=T0 + 6 * MIN, subject="فاتورة 50%_")
    monkeypatch.setattr(search_selectors, "PROBES", probes)

    for terms in (search_terms("فاتوره"), search_terms("فاتور 50%_"), search_terms("سؤال")):
        for limit in (1, 2, 3, 10):
            # then: the same ids, in the same order, as sorting every match
            expected = _newest_by_sorting(terms, SearchKind.TICKET, limit)
            assert newest_matching(terms, SearchKind.TICKET, limit=limit) == expected


def test_an_old_rare_match_behind_the_probed_rows_is_found(
    customer: Any, operator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = make_ticket(customer=customer, actor=operator, now=T0, subject="INV-2026-04512")
    for n in range(1, 6):
        make_ticket(customer=customer, actor=operator, now=T0 + n * MIN, subject="سؤال")
    monkeypatch.setattr(search_selectors, "PROBES", (2, 4))

    found = search_everything(query="inv-2026-04512")

    [tickets] = found.groups
    assert [hit.id for hit in tickets.hits] == [old.pk]


def test_the_newest_rows_are_read_off_the_kind_time_index(customer: Any, operator: Any) -> None:
    make_ticket(customer=customer, actor=operator, now=T0, subject="الفاتورة")
    if connection.vendor != "postgresql":
        pytest.skip("SQLite reads its own way; the plan is checked on PostgreSQL")
    recent = SearchEntry.objects.filter(kind="ticket").order_by("-at", "-id")[:2000]

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = recent.explain()

    assert "search_kind_at_idx" in plan, plan
