"""A throwaway PostgreSQL server for the test suite, on 127.0.0.1 in a temporary folder.

Uses Debian's ``postgresql`` binaries (``scripts/install.sh --test`` installs them). When the
tests run as root, the server runs as the ``postgres`` system user, as initdb requires.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def _bin_dir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name),
                        reverse=True)
    for candidate in candidates:
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise PostgresUnavailable("PostgreSQL server binaries not found; run scripts/install.sh --test")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _runner() -> list[str]:
    """Prefix that runs a command as an unprivileged user when we are root."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError as exc:
        raise PostgresUnavailable("running as root needs the 'postgres' system user") from exc
    return ["runuser", "-u", "postgres", "--"]


@contextmanager
def postgres_server():
    """Start a cluster, yield a function that creates a fresh database and returns its URL."""
    bin_dir = _bin_dir()
    prefix = _runner()
    root = Path(tempfile.mkdtemp(prefix="gr-pg-"))
    data, sockets = root / "data", root / "sock"
    sockets.mkdir()
    if prefix:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    port = _free_port()
    log = root / "server.log"

    def run(*args, **kwargs):
        return subprocess.run([*prefix, *map(str, args)], check=True, capture_output=True, **kwargs)

    run(bin_dir / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8",
        "--locale=C.UTF-8" if _has_c_utf8() else "--no-locale")
    options = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={sockets} "
               "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
               "-c shared_buffers=128MB")
    run(bin_dir / "pg_ctl", "-D", data, "-o", options, "-l", log, "-w", "-t", "60", "start")
    counter = {"n": 0}

    def create_database(name: str | None = None) -> str:
        import psycopg

        counter["n"] += 1
        name = name or f"gr_test_{os.getpid()}_{counter['n']}"
        with psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:{port}/{name}"

    def crash() -> None:
        """Stop the server as a crash would (no checkpoint, recovery from WAL on restart)."""
        run(bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")

    def start() -> None:
        run(bin_dir / "pg_ctl", "-D", data, "-o", options, "-l", log, "-w", "-t", "60", "start")

    create_database.crash, create_database.start, create_database.port = crash, start, port
    try:
        yield create_database
    finally:
        try:
            run(bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            pass
        time.sleep(0.1)
        shutil.rmtree(root, ignore_errors=True)


def _has_c_utf8() -> bool:
    try:
        out = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False).stdout
    except FileNotFoundError:
        return False
    return any(line.lower() in {"c.utf8", "c.utf-8"} for line in out.splitlines())
