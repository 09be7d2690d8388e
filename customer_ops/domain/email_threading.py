"""Email threading: our Message-IDs, the headers a reply carries, and how a reply finds its ticket.

- Every email we send has a Message-ID of our own, fixed when the send is claimed (so a send
  whose outcome a founder resolves later still threads). Providers that replace it (Amazon SES)
  are covered by keeping our ids in `References` too.
- A reply carries `In-Reply-To` (the customer's last message, else our last one) and `References`
  (the customer's chain, their message, then our own ids), and `[#<ticket>]` in its subject.
- An inbound email looks for its ticket by `In-Reply-To`, then each id in `References` (newest
  first), then the subject tag — and joins a ticket only when its sender belongs to that ticket's
  customer (`sender_belongs`): a forged tag or a leaked Message-ID from another domain never
  lands on someone else's ticket.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_MESSAGE_ID = re.compile(r"<([^<>\s]+@[^<>\s]+)>")
_TAG = re.compile(r"\[#(\d{1,12})\]")
_REPLY_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|sv|رد|تحويل)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)
# How many ids a References header keeps: the first (the thread's root) and the newest ones.
MAX_REFERENCES = 20

# Mailbox providers shared by unrelated people: being on the same one says nothing about who
# someone works for, so only the exact address counts there.
SHARED_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "mail.com",
        "yandex.com",
        "zoho.com",
    }
)


def parse_message_ids(header: str | None) -> tuple[str, ...]:
    """The `<id@host>` tokens of a Message-ID, In-Reply-To or References header, in order, once."""
    seen: list[str] = []
    for match in _MESSAGE_ID.finditer(header or ""):
        token = f"<{match.group(1)}>"
        if token not in seen:
            seen.append(token)
    return tuple(seen)


def new_message_id(*, unique: str, domain: str) -> str:
    """A Message-ID of ours: `<dealix.<unique>@<domain>>` (the caller supplies the randomness)."""
    clean_unique = re.sub(r"[^A-Za-z0-9.-]", "", unique)
    clean_domain = re.sub(r"[^A-Za-z0-9.-]", "", domain) or "dealix.invalid"
    if not clean_unique:
        raise ValueError("a Message-ID needs a unique part")
    return f"<dealix.{clean_unique}@{clean_domain}>"


def address_domain(address: str) -> str:
    return address.rpartition("@")[2].strip().lower()


def ticket_tag(subject: str | None) -> int | None:
    """The ticket number a subject carries as `[#123]` (the last tag, if several)."""
    found = _TAG.findall(subject or "")
    return int(found[-1]) if found else None


def tagged_subject(subject: str, *, ticket_id: int) -> str:
    """Our subject with the ticket's tag in front (once, whatever tags it already carries)."""
    bare = " ".join(_TAG.sub("", subject).split())
    tag = f"[#{ticket_id}]"
    return f"{tag} {bare}" if bare else tag


def bare_subject(subject: str) -> str:
    """A subject without reply prefixes and ticket tags: what a new ticket is called."""
    return " ".join(_REPLY_PREFIX.sub("", _TAG.sub("", subject or "")).split())


@dataclass(frozen=True, slots=True)
class ReplyHeaders:
    in_reply_to: str
    references: tuple[str, ...]

    def references_header(self) -> str:
        return " ".join(self.references)


def reply_headers(
    *,
    customer_message_id: str = "",
    customer_references: Sequence[str] = (),
    our_ids: Sequence[str] = (),
) -> ReplyHeaders:
    """What our reply on a thread carries, oldest first in `References`.

    `In-Reply-To` is the customer's last message (else our own last one); `References` is their
    chain and their message, then every id we sent on the thread (a provider that rewrote our
    Message-ID still finds the thread by them), cut to the root plus the newest ids.
    """
    chain: list[str] = []
    for token in (*customer_references, customer_message_id, *our_ids):
        if token and token not in chain:
            chain.append(token)
    if len(chain) > MAX_REFERENCES:
        chain = [chain[0], *chain[-(MAX_REFERENCES - 1) :]]
    in_reply_to = customer_message_id or (our_ids[-1] if our_ids else "")
    return ReplyHeaders(in_reply_to=in_reply_to, references=tuple(chain))


@dataclass(frozen=True, slots=True)
class ThreadLookup:
    """Where to look for an inbound email's ticket, in order: message ids, then the subject tag."""

    message_ids: tuple[str, ...]
    ticket_tag: int | None


def thread_lookup(*, in_reply_to: str, references: Sequence[str], subject: str) -> ThreadLookup:
    """`In-Reply-To` first, then `References` newest first (the nearest message is likeliest ours)."""
    ids: list[str] = []
    for token in (*parse_message_ids(in_reply_to), *reversed(references)):
        if token not in ids:
            ids.append(token)
    return ThreadLookup(message_ids=tuple(ids), ticket_tag=ticket_tag(subject))


def sender_belongs(sender: str, known_addresses: Iterable[str]) -> bool:
    """Whether an address speaks for a customer whose addresses are `known_addresses`.

    The exact address always does; a colleague on the customer's own domain does too, unless that
    domain is a shared mailbox provider (gmail.com and the like), where only the exact address
    counts. Anyone on another domain never does.
    """
    sender = sender.strip().lower()
    if "@" not in sender:
        return False
    known = {address.strip().lower() for address in known_addresses if "@" in address}
    if sender in known:
        return True
    domain = address_domain(sender)
    if not domain or domain in SHARED_DOMAINS:
        return False
    return any(address_domain(address) == domain for address in known)
