"""Servers for the intake tests: a real IMAP server (Debian's dovecot) and an SMTP server (aiosmtpd), both on loopback.

dovecot runs as a foreground (non-daemon) process from a config file written
into a temporary directory: listen 127.0.0.1 on a free port, passwd-file passdb,
static userdb, maildir storage in the temp dir, no SSL. It needs the Debian
package ``dovecot-imapd`` (which pulls ``dovecot-core``), installed by
scripts/setup-test-env.sh; without it the IMAP tests fail (they never skip).
"""

from __future__ import annotations

import imaplib
import os
import pwd
import grp
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, proc: subprocess.Popen, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"dovecot exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("dovecot did not start listening")


class Dovecot:
    user = "finance"
    password = "s3cret-test"

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="perfeval-dovecot-"))
        os.chmod(self.dir, 0o755)  # the mail user must reach its maildir
        self.port = free_port()
        if os.geteuid() == 0:
            mail_user, mail_group = "nobody", grp.getgrgid(pwd.getpwnam("nobody").pw_gid).gr_name
            login_user, internal_user = "dovenull", "dovecot"
        else:  # pragma: no cover - CI runs as root
            mail_user = login_user = internal_user = pwd.getpwuid(os.geteuid()).pw_name
            mail_group = grp.getgrgid(os.getegid()).gr_name
        for sub in ("base", "state", "mail"):
            (self.dir / sub).mkdir()
        (self.dir / "passwd").write_text(f"{self.user}:{{PLAIN}}{self.password}\n")
        conf = f"""
protocols = imap
listen = 127.0.0.1
base_dir = {self.dir}/base
state_dir = {self.dir}/state
instance_name = perfeval-test-{self.port}
log_path = {self.dir}/dovecot.log
info_log_path = {self.dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{self.dir}/mail/%u
mail_uid = {mail_user}
mail_gid = {mail_group}
first_valid_uid = 0
default_login_user = {login_user}
default_internal_user = {internal_user}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.dir}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_group} home={self.dir}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
"""
        self.conf = self.dir / "dovecot.conf"
        self.conf.write_text(conf)
        if os.geteuid() == 0:
            shutil.chown(self.dir / "mail", mail_user, mail_group)
        self.proc = subprocess.Popen([DOVECOT, "-F", "-c", str(self.conf)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            _wait_port(self.port, self.proc)
        except RuntimeError:
            self.stop()
            log = (self.dir / "dovecot.log").read_text() if (self.dir / "dovecot.log").exists() else ""
            raise RuntimeError(f"dovecot failed to start: {log[-2000:]}")

    def client(self) -> imaplib.IMAP4:
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=30)
        conn.login(self.user, self.password)
        return conn

    def env(self, mailbox: str = "INBOX") -> dict:
        return {
            "PERFEVAL_IMAP_HOST": "127.0.0.1", "PERFEVAL_IMAP_PORT": str(self.port), "PERFEVAL_IMAP_USER": self.user,
            "PERFEVAL_IMAP_PASSWORD": self.password, "PERFEVAL_IMAP_MAILBOX": mailbox, "PERFEVAL_IMAP_SSL": "0",
        }

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def dovecot():
    if DOVECOT is None:
        pytest.fail("dovecot is required: run scripts/setup-test-env.sh (apt-get install -y dovecot-imapd)")
    server = Dovecot()
    yield server
    server.stop()


@pytest.fixture
def smtp_server():
    """aiosmtpd on a free loopback port; received messages in ``.messages``."""
    from aiosmtpd.controller import Controller

    class Handler:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
            return "250 OK"

    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


@pytest.fixture(scope="session")
def base_workbook() -> bytes:
    import intake_corpus

    return intake_corpus.example("synthetic")
