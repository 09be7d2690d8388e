"""Reads of the one search: which stored rows match a query, and the grouped, marked results.

A query is folded and split by `domain.search.search_terms`; a row matches when its folded text
holds every term. The database answers from its index (`models/search.py`): on PostgreSQL the
trigram GIN index serves each `text LIKE '%term%'`; on SQLite the FTS5 trigram table is asked
for the rows holding every term of three characters or more (`MATCH '"t1" AND "t2"'`), and the
same `LIKE` then checks every term, so shorter terms match the same way on both databases.

The queue (`selectors.tickets`) and the customer list (`selectors.customers`) filter with
`ticket_search_q` / `customer_ids_matching`; the header's global search and the API read
`search_everything`: per kind, the most recent `CANDIDATES_PER_KIND` matching rows, ranked by
`domain.search.relevance`, most relevant then most recent first.

The most recent matching rows at a million tickets (issue #18): asking for every match of a
common word ("مشكلة" is in a tenth of the rows) and sorting them by time reads a hundred thousand
rows for 50. So `newest_matching` first looks among a kind's newest rows only (`PROBES`: the
newest 2,000, then 8,000, read off the (kind, at, id) index, then filtered): when they hold 50
matches, those are exactly the 50 newest matches of the whole table, found in a bounded read.
When they do not, the word is rare, and the trigram index's matches are few enough to sort.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from customer_ops.domain.search import (
    INDEXED_TERM_LENGTH,
    SearchKind,
    Segment,
    relevance,
    search_terms,
    snippet,
)
from customer_ops.models import ContactPoint, Customer, Incident, SearchEntry, Ticket, TicketMessage

FTS_TABLE = "customer_ops_search_fts"
CANDIDATES_PER_KIND = 50
# How many of a kind's newest rows are searched before the whole table. A probe costs about its
# rows (~5 µs each: a LIKE over Arabic text); the trigram index costs about the matches, so a probe
# pays where a word is in more than one row of ~150: 50 matches of a word in one row of 40 are in
# the first probe, of a word in one row of 160 in the second; rarer words go to the index.
PROBES = (2_000, 8_000)
RESULTS_PER_KIND = 10
_TICKET_REF = re.compile(r"^#?\s*(\d{1,9})$")


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def search_entries(terms: Sequence[str], kinds: Iterable[SearchKind]) -> QuerySet[SearchEntry]:
    """The stored rows of these kinds whose text holds every term (none when there is no term)."""
    if not terms:
        return SearchEntry.objects.none()
    wanted = {kind.value for kind in kinds}
    queryset = SearchEntry.objects.all()
    if wanted != {kind.value for kind in SearchKind}:
        queryset = queryset.filter(kind__in=sorted(wanted))
    indexed = [term for term in terms if len(term) >= INDEXED_TERM_LENGTH]
    if connection.vendor == "sqlite" and indexed:
        queryset = queryset.filter(
            # The table name is ours; the match expression is a parameter.
            pk__in=RawSQL(  # noqa: S611
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
                [" AND ".join(_fts_phrase(term) for term in indexed)],
            )
        )
    for term in terms:
        queryset = queryset.filter(text__contains=term)
    return queryset


def _like_pattern(term: str) -> str:
    """`LIKE` pattern for "contains `term`" (`\\` escapes, as Django's `contains` does)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _newest_matching_among(
    terms: Sequence[str], kind: SearchKind, *, newest: int, limit: int
) -> list[int]:
    """Object ids of the `limit` newest rows holding every term among the kind's `newest` rows.

    The newest rows are a derived table, so the database reads them off the (kind, at, id) index
    and filters only them: the text conditions cannot be pushed below its LIMIT.
    """
    recent = (
        SearchEntry.objects.filter(kind=kind.value)
        .order_by("-at", "-id")
        .values("object_id", "at", "id", "text")[:newest]
    )
    inner, params = recent.query.sql_with_params()
    holds_every_term = " AND ".join(["recent.text LIKE %s ESCAPE '\\'"] * len(terms))
    statement = (
        f"SELECT recent.object_id FROM ({inner}) recent WHERE {holds_every_term}"  # noqa: S608
        " ORDER BY recent.at DESC, recent.id DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, *(_like_pattern(term) for term in terms), limit])
        return [row[0] for row in cursor.fetchall()]


def newest_matching(terms: Sequence[str], kind: SearchKind, *, limit: int) -> list[int]:
    """Object ids of the `limit` most recent rows of `kind` holding every term, newest first.

    Exact: when the newest N rows hold `limit` matches, no match outside them is newer than the
    last of those (see the module docstring); otherwise the next probe, then the whole table.
    """
    if not terms:
        return []
    for newest in PROBES:
        ids = _newest_matching_among(terms, kind, newest=newest, limit=limit)
        if len(ids) == limit:
            return ids
    # Sorted by an expression, not the column: the probes found the word rare among the newest
    # rows, so the matches must come from the trigram index and be sorted, never from a walk of
    # the (kind, at) index through every row of the kind, which PostgreSQL picks when it
    # overestimates how common a word is (measured: 0.9 s at 100,000 tickets for no match).
    newest_first = Coalesce("at", "at")
    return list(
        search_entries(terms, [kind])
        .order_by(newest_first.desc(), "-id")
        .values_list("object_id", flat=True)[:limit]
    )


def ticket_search_q(query: str) -> Q | None:
    """Tickets whose subject, body, keyword or a message on them matches, or whose customer
    does (by name or contact); `#123` or `123` also finds ticket 123. None: no search.

    The matching customers are read first (one query over their few rows), so the condition is a
    plain semi-join on the matching rows' `ticket_id` — with `OR customer_id IN (…)` only when
    a customer matched. An OR of two subqueries made PostgreSQL test both for every ticket of
    the table (in each parallel worker) and ruled out the trigram index.
    """
    terms = search_terms(query)
    if not terms:
        return None
    condition = Q(
        pk__in=search_entries(terms, [SearchKind.TICKET, SearchKind.MESSAGE])
        .filter(ticket_id__isnull=False)
        .values("ticket_id")
    )
    customers = list(customer_ids_matching(terms))
    if customers:
        condition |= Q(customer_id__in=customers)
    ref = _TICKET_REF.match(query.strip())
    if ref:
        condition |= Q(pk=int(ref.group(1)))
    return condition


def customer_ids_matching(terms: Sequence[str]) -> QuerySet[SearchEntry, int]:
    """Ids of the customers whose name, contact or contact points hold every term."""
    return search_entries(terms, [SearchKind.CUSTOMER]).values_list("object_id", flat=True)


# ── The global search ───────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True, slots=True)
class SearchHit:
    kind: SearchKind
    id: int
    title: str
    title_marked: list[Segment]
    snippet: list[Segment]
    at: dt.datetime
    relevance: int
    ticket_id: int | None = None  # a message's ticket (its page is where the message is read)


@dataclass(frozen=True, slots=True)
class SearchGroup:
    kind: SearchKind
    hits: list[SearchHit]
    more: bool  # more rows matched than are shown


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: str
    terms: list[str]
    groups: list[SearchGroup] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(group.hits) for group in self.groups)


@dataclass(frozen=True, slots=True)
class _Found:
    id: int
    title: str
    text: str
    at: dt.datetime
    ticket_id: int | None = None


def _tickets(ids: Sequence[int]) -> list[_Found]:
    rows = Ticket.objects.filter(pk__in=ids).only("pk", "subject", "body", "opened_at")
    return [_Found(t.pk, f"#{t.pk} {t.subject}", t.body, t.opened_at, t.pk) for t in rows]


def _messages(ids: Sequence[int]) -> list[_Found]:
    rows = TicketMessage.objects.filter(pk__in=ids).select_related("ticket")
    return [
        _Found(
            m.pk,
            f"#{m.ticket_id} {m.ticket.subject}" if m.ticket is not None else m.sender_name,
            "\n".join(part for part in (m.text, m.sender_name, m.sender) if part),
            m.at,
            m.ticket_id,
        )
        for m in rows
    ]


def _customers(ids: Sequence[int]) -> list[_Found]:
    points: dict[int, list[str]] = {}
    for customer_id, value in ContactPoint.objects.filter(customer_id__in=ids).values_list(
        "customer_id", "value"
    ):
        points.setdefault(customer_id, []).append(value)
    found = []
    for c in Customer.objects.filter(pk__in=ids):
        contacts = [c.contact_name, c.contact_email, c.contact_phone, *points.get(c.pk, [])]
        found.append(
            _Found(c.pk, c.company_name, " · ".join(p for p in contacts if p), c.created_at)
        )
    return found


def _incidents(ids: Sequence[int]) -> list[_Found]:
    rows = Incident.objects.filter(pk__in=ids)
    return [_Found(i.pk, i.title, i.description, i.declared_at) for i in rows]


_LOADERS = {
    SearchKind.TICKET: _tickets,
    SearchKind.MESSAGE: _messages,
    SearchKind.CUSTOMER: _customers,
    SearchKind.INCIDENT: _incidents,
}


def search_everything(
    *,
    query: str,
    kinds: Sequence[SearchKind] = tuple(SearchKind),
    per_kind: int = RESULTS_PER_KIND,
) -> SearchResults:
    """Tickets, messages, customers and incidents matching `query`, grouped by kind (in
    `SearchKind` order, empty groups left out), most relevant then most recent first, each with
    its matched words marked in a snippet. Per kind, one to three queries for the rows
    (`newest_matching`), one for the things if any (customers: plus their contact points)."""
    terms = search_terms(query)
    results = SearchResults(query=query, terms=terms)
    if not terms:
        return results
    ref = _TICKET_REF.match(query.strip())
    for kind in kinds:
        ids = newest_matching(terms, kind, limit=CANDIDATES_PER_KIND)
        if kind is SearchKind.TICKET and ref and int(ref.group(1)) not in ids:
            ids.insert(0, int(ref.group(1)))
        if not ids:
            continue
        hits = []
        for found in _LOADERS[kind](ids):
            score = relevance(title=found.title, text=found.text, terms=terms)
            if kind is SearchKind.TICKET and ref and found.id == int(ref.group(1)):
                score += 100  # asked for by its number
            hits.append(
                SearchHit(
                    kind=kind,
                    id=found.id,
                    title=found.title,
                    title_marked=snippet(found.title, terms, length=200),
                    snippet=snippet(found.text or found.title, terms),
                    at=found.at,
                    relevance=score,
                    ticket_id=found.ticket_id,
                )
            )
        if not hits:
            continue
        hits.sort(key=lambda hit: (-hit.relevance, -hit.at.timestamp(), -hit.id))
        results.groups.append(
            SearchGroup(kind=kind, hits=hits[:per_kind], more=len(hits) > per_kind)
        )
    return results
