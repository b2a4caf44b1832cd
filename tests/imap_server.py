"""A real Dovecot IMAP server for the mail tests: its own configuration in a temporary directory,
listening on 127.0.0.1 only, plaintext login, one user, a Maildir.

Skips when ``/usr/sbin/dovecot`` is missing, except in CI (``CI=true``), where that fails.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

DOVECOT = os.environ.get("DIGEST_DOVECOT", "/usr/sbin/dovecot")
USER = "digest"
PASSWORD = "imap-pass-4711"


@dataclass
class ImapServer:
    host: str
    port: int
    user: str
    password: str
    root: Path

    @property
    def maildir(self) -> Path:
        return self.root / "Maildir"

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _version() -> tuple[int, int]:
    out = subprocess.run([DOVECOT, "--version"], capture_output=True, text=True, check=True).stdout
    major, minor = out.split()[0].split(".")[:2]
    return int(major), int(minor)


def _accounts() -> tuple[str, str, int, int]:
    """(internal user, login user, mail uid, mail gid): as root (CI), the Debian package's system
    users for Dovecot's own processes and ``nobody`` for the mailbox (Dovecot refuses uid 0 for
    mail access: "userdb returned 0 as uid"); otherwise the current user for everything."""
    uid, gid = os.getuid(), os.getgid()
    me = pwd.getpwuid(uid).pw_name
    if uid != 0:
        return me, me, uid, gid
    internal = "dovecot" if _user_exists("dovecot") else "nobody"
    login = "dovenull" if _user_exists("dovenull") else "nobody"
    nobody = pwd.getpwnam("nobody")
    return internal, login, nobody.pw_uid, nobody.pw_gid


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _config(root: Path, port: int) -> str:
    internal, login, uid, gid = _accounts()
    major, minor = _version()
    cleartext = "auth_allow_cleartext = yes" if (major, minor) >= (2, 4) else "disable_plaintext_auth = no"
    group = grp.getgrgid(gid).gr_name
    return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
ssl = no
{cleartext}
auth_mechanisms = plain login
default_internal_user = {internal}
default_internal_group = {grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name}
default_login_user = {login}
first_valid_uid = {uid}
first_valid_gid = {gid}
mail_location = maildir:{root}/Maildir
mail_uid = {uid}
mail_gid = {group}
protocol imap {{
  mail_max_userip_connections = 50
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home
}}
"""


def start_dovecot() -> tuple[ImapServer, subprocess.Popen]:
    root = Path(tempfile.mkdtemp(prefix="digest-imap-"))  # short: Dovecot's socket paths must fit
    root.chmod(0o755)  # the login user must reach base_dir
    for sub in ("run", "state", "home", "Maildir/new", "Maildir/cur", "Maildir/tmp"):
        (root / sub).mkdir(parents=True)
    _, _, uid, gid = _accounts()
    for sub in ("home", "Maildir", "Maildir/new", "Maildir/cur", "Maildir/tmp"):
        os.chown(root / sub, uid, gid)  # a no-op unless running as root
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
    port = _free_port()
    conf = root / "dovecot.conf"
    conf.write_text(_config(root, port))
    proc = subprocess.Popen([DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    server = ImapServer("127.0.0.1", port, USER, PASSWORD, root)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            output = proc.stdout.read().decode(errors="replace")
            shutil.rmtree(root, ignore_errors=True)
            raise RuntimeError(f"dovecot exited with {proc.returncode}: {output}\n{server.log()}")
        try:
            with socket.create_connection((server.host, port), timeout=1) as sock:
                if sock.recv(200).startswith(b"* OK"):
                    return server, proc
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise RuntimeError(f"dovecot did not answer on 127.0.0.1:{port}\n{server.log()}")


def stop_dovecot(server: ImapServer, proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture(scope="session")
def imap_server():
    """A Dovecot of our own on 127.0.0.1 (one user, Maildir), for the whole session."""
    if not Path(DOVECOT).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{DOVECOT} is missing in CI (install dovecot-imapd)")
        pytest.skip(f"{DOVECOT} is not installed (apt-get install dovecot-imapd)")
    server, proc = start_dovecot()
    yield server
    stop_dovecot(server, proc)
