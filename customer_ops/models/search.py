"""The one search's stored text: one row per searchable thing, its searchable parts folded.

Tickets (subject, body, matched keyword), conversation messages (text, sender), customers (name,
contact, email, phone, contact points) and incidents (title, description) each have a row here,
written by the service that writes the thing, in the same transaction (`services/search.py`);
never by a signal. `text` is `domain.search.search_text` of the parts: folded by the one
normalisation the classifier reads with, so the database compares folded text to folded terms.

The indexes the database reads are created by the migrations (0017_search), per database:
- PostgreSQL: a trigram GIN index on `text` (`pg_trgm`, `gin_trgm_ops`). Trigrams, not full-text
  search: PostgreSQL has no Arabic dictionary or stemmer (only `simple`, which would still need
  our fold), and people search by parts of words, numbers, emails and phone digits ("0555",
  "@example", "فاتور"); a trigram index answers `LIKE '%term%'` for any substring of three
  characters or more, over text we have already folded.
- SQLite: an FTS5 table with the trigram tokenizer (`customer_ops_search_fts`, SQLite ≥ 3.34)
  over this table's `text` (external content, kept in step by SQLite triggers on this table:
  part of the index, like the GIN index's own upkeep, not a second writer).

Both databases also have a b-tree on (kind, at DESC, id DESC) (0018): the global search reads a
kind's newest rows first, where a common word's newest matches are, without touching the rest.

`ticket_id` and `customer_id` say which ticket and customer a row belongs to, so the queue can
ask "tickets with a matching subject, body or message, or of a matching customer". Plain
integers, not foreign keys: an index row must not slow down or block the writes it follows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from customer_ops.domain.search import SearchKind

SEARCH_KIND_CHOICES = [(kind.value, kind.value) for kind in SearchKind]


class SearchEntry(models.Model):
    kind = models.CharField(_("النوع"), max_length=10, choices=SEARCH_KIND_CHOICES)
    object_id = models.BigIntegerField(_("المعرّف"))
    ticket_id = models.BigIntegerField(_("التذكرة"), null=True, blank=True)
    customer_id = models.BigIntegerField(_("العميل"), null=True, blank=True)
    # When the thing happened (a ticket opened, a message sent, …): ties in relevance go to the
    # most recent.
    at = models.DateTimeField(_("الوقت"))
    text = models.TextField(_("نص البحث"))

    class Meta:
        verbose_name = _("مدخل بحث")
        verbose_name_plural = _("مدخلات البحث")
        indexes = [
            # The global search's newest rows of a kind first (`selectors.search`): a walk of
            # this index reads a kind's newest rows and stops, whatever the table's size.
            models.Index(fields=["kind", "-at", "-id"], name="search_kind_at_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique"),
            models.CheckConstraint(
                condition=models.Q(kind__in=[kind.value for kind in SearchKind]),
                name="search_entry_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
