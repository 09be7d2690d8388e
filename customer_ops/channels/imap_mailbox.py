"""The support mailbox over IMAP (imap-tools): what arrived after a UID, as raw bytes.

Read-only towards the mailbox: nothing is flagged, moved or deleted, so people reading the same
mailbox in their own client see it as they left it. Where we are is kept in the database (a UID
high-water mark per UIDVALIDITY, services/mail_inbound.py), advanced in the transaction that
stores each message.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from imap_tools import AND, MailBox, MailBoxUnencrypted, U

_DEFAULT_PORT = {"imaps": 993, "imap": 143}


@dataclass(frozen=True, slots=True)
class ImapConfig:
    host: str
    port: int
    user: str
    password: str
    folder: str
    ssl: bool
    timeout: float = 30.0

    @property
    def key(self) -> str:
        """The mailbox's name for its read position (no password)."""
        return f"{self.user}@{self.host}:{self.port}/{self.folder}"[:300]


def imap_config_from_url(url: str, *, timeout: float = 30.0) -> ImapConfig:
    """`imaps://user:password@host:993/INBOX` (or `imap://` on a trusted network, tests)."""
    parts = urlsplit(url)
    if parts.scheme not in _DEFAULT_PORT or not parts.hostname or not parts.username:
        raise ValueError("SUPPORT_IMAP_URL must look like imaps://user:password@host:993/INBOX")
    return ImapConfig(
        host=parts.hostname,
        port=parts.port or _DEFAULT_PORT[parts.scheme],
        user=unquote(parts.username),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
        ssl=parts.scheme == "imaps",
        timeout=timeout,
    )


@dataclass(frozen=True, slots=True)
class FetchedMail:
    uid: int
    raw: bytes


@dataclass(frozen=True, slots=True)
class MailBatch:
    uidvalidity: int
    messages: tuple[FetchedMail, ...]


def fetch_new(config: ImapConfig, *, uidvalidity: int, after_uid: int, limit: int) -> MailBatch:
    """Messages with a UID above `after_uid`, oldest first (all of them from the start when the
    server's UIDVALIDITY is not the one we read by: it renumbered the mailbox)."""
    box = (
        MailBox(config.host, config.port, timeout=config.timeout)
        if config.ssl
        else MailBoxUnencrypted(config.host, config.port, timeout=config.timeout)
    )
    with box.login(config.user, config.password, initial_folder=config.folder) as mailbox:
        status = mailbox.folder.status(config.folder, ["UIDVALIDITY"])
        server_validity = int(status["UIDVALIDITY"])
        start = after_uid if server_validity == uidvalidity else 0
        found: list[FetchedMail] = []
        for message in mailbox.fetch(
            AND(uid=U(str(start + 1), "*")), mark_seen=False, bulk=True, limit=limit
        ):
            uid = int(message.uid or 0)
            if uid > start:  # `n:*` answers the newest message even when it is below n
                found.append(FetchedMail(uid=uid, raw=message.obj.as_bytes()))
    found.sort(key=lambda item: item.uid)
    return MailBatch(uidvalidity=server_validity, messages=tuple(found))
