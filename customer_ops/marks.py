"""Search snippets as HTML, the same for the console (`|marked`) and the API's `snippet`."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString

from customer_ops.domain.search import Segment


def marked_html(segments: Iterable[Segment]) -> SafeString:
    """Every piece escaped, the matched ones in <mark>: no text of a customer's becomes markup."""
    return SafeString(
        "".join(
            f"<mark>{escape(segment.text)}</mark>" if segment.matched else str(escape(segment.text))
            for segment in segments
        )
    )
