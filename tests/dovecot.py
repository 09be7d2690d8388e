"""A real Dovecot IMAP server for the tests: own config in a temp dir, a free loopback port, a
passwd-file of users and maildirs in tmp. Stopped by the fixture that started it."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or (
    "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None
)
PASSWORD = "imap-secret"
USERS = tuple(f"support{i}" for i in range(20))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _users() -> tuple[str, str, int, int]:
    """(internal user, login user, mail uid, mail gid): Dovecot's own users when run as root."""
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        return "dovecot", "dovenull", nobody.pw_uid, nobody.pw_gid
    me = pwd.getpwuid(os.geteuid())
    return me.pw_name, me.pw_name, me.pw_uid, me.pw_gid


@dataclass
class Dovecot:
    port: int
    root: Path
    process: subprocess.Popen[bytes]
    handed_out: list[str] = field(default_factory=list)

    def url(self, user: str) -> str:
        return f"imap://{user}:{PASSWORD}@127.0.0.1:{self.port}/INBOX"

    def next_user(self) -> str:
        user = USERS[len(self.handed_out)]
        self.handed_out.append(user)
        return user

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)


def start_dovecot() -> Dovecot:
    if DOVECOT is None:
        if os.environ.get("REQUIRE_DOVECOT") == "1":
            pytest.fail("REQUIRE_DOVECOT=1 but no dovecot binary (apt-get install dovecot-imapd)")
        pytest.skip(
            "Dovecot is not installed (apt-get install dovecot-imapd); REQUIRE_DOVECOT=1 fails instead"
        )
    root = Path(tempfile.mkdtemp(prefix="dealix-dovecot-"))
    root.chmod(0o755)
    internal, login, uid, gid = _users()
    for name in ("run", "state"):
        (root / name).mkdir()
    (root / "home").mkdir(mode=0o777)
    (root / "home").chmod(0o777)
    (root / "passwd").write_text("".join(f"{user}:{{PLAIN}}{PASSWORD}\n" for user in USERS))
    (root / "passwd").chmod(0o644)
    port = _free_port()
    (root / "dovecot.conf").write_text(
        f"""base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
instance_name = dealix-test-{port}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""
    )
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
            errors = process.stderr.read().decode() if process.stderr else ""
            shutil.rmtree(root, ignore_errors=True)
            raise RuntimeError(f"dovecot exited: {errors} {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as probe:
                if probe.recv(64).startswith(b"* OK"):
                    return Dovecot(port=port, root=root, process=process)
        except OSError:
            time.sleep(0.1)
    process.kill()
    shutil.rmtree(root, ignore_errors=True)
    raise RuntimeError("dovecot did not start listening in 15 s")
