"""Feedback databases for the tests: a SQLite file, and a real PostgreSQL server started here.

PostgreSQL comes from Debian's `postgresql` package (.ci/run installs it): initdb and pg_ctl
in a temporary folder, listening on a free loopback port. Root cannot run postgres, so as root
the server runs as the `postgres` user the package creates. Each test gets a fresh database.
"""
from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
MISSING = "PostgreSQL binaries not found under /usr/lib/postgresql/*/bin (apt-get install -y postgresql)"
_counter = itertools.count(1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server():
    """Base URL of a throwaway PostgreSQL server (trust authentication, loopback only)."""
    if not BINARIES:
        pytest.skip(MISSING)
    bin_dir = Path(BINARIES[-1])
    root = Path(tempfile.mkdtemp(prefix="claimlens-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = root / "data", _free_port()
    subprocess.run([*as_user, str(bin_dir / "initdb"), "-D", str(data), "-U", "claimlens", "--auth=trust",
                    "-E", "UTF8", "--no-sync"], check=True, capture_output=True)
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off"
    subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"),
                    "-w", "start"], check=True, capture_output=True)
    try:
        yield f"postgresql://claimlens@127.0.0.1:{port}"
    finally:
        subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh, empty database on the test server."""
    import psycopg

    name = f"feedback_{os.getpid()}_{next(_counter)}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"{postgres_server}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'feedback.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def open_db():
    """Database(url), disposed of (connections closed) after the test."""
    from claimlens.feedback.database import Database

    opened = []

    def make(url: str) -> Database:
        opened.append(Database(url))
        return opened[-1]

    yield make
    for db in opened:
        db.close()
