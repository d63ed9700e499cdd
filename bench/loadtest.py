"""Used by bench/street.py: gunicorn servers on free ports, wrk runs and their parsed figures."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
USER_AGENT = "golden-ribbon-bench"  # the same on the login and in wrk, so the session stays valid

# Counts every answer that is not 2xx (wrk's own "Non-2xx or 3xx" line hides redirects).
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body) if status < 200 or status > 299 then bad = bad + 1 end end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("bad") end
  io.write(string.format("NON2XX %d\\n", total))
end
"""


def ensure_wrk() -> str:
    """wrk from Debian, installed with apt-get when missing (as root, or through sudo)."""
    found = shutil.which("wrk")
    if found:
        return found
    print("==> Installing wrk (Debian package)", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], env=env).returncode != 0:
        subprocess.run([*sudo, "apt-get", "update", "-qq"], env=env, check=True)
        subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], env=env, check=True)
    return shutil.which("wrk") or "wrk"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, headers: dict | None = None, timeout: float = 60, method: str = "GET",
        body: bytes | None = None):
    """One request, no redirect followed: (status, headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers={"User-Agent": USER_AGENT, **(headers or {})})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


class Server:
    """gunicorn with N sync workers on a free 127.0.0.1 port; stopped by ``stop`` (bounded)."""

    def __init__(self, app: str, env: dict, workers: int = 2, chdir: Path = ROOT, probe: str = "/"):
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="gr-bench-gunicorn-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "--workers", str(workers), "--worker-class", "sync",
             "--bind", f"127.0.0.1:{self.port}", "--chdir", str(chdir), "--timeout", "120", app],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 90
        while True:
            try:
                status, _h, _b = get(self.port, probe, timeout=30)
                if status == 200:
                    break
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"gunicorn {app} did not start; see {self.log.name}")
            time.sleep(0.3)

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each worker (children of the gunicorn master), from /proc."""
        sizes = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            ppid = re.search(r"^PPid:\s+(\d+)", status, re.MULTILINE)
            rss = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
            if ppid and rss and int(ppid.group(1)) == self.process.pid:
                sizes.append(int(rss.group(1)) / 1024)
        return sorted(sizes)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@dataclass
class WrkResult:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    errors: int  # connect/read/write errors and timeouts
    requests: int


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def parse_wrk(output: str) -> WrkResult:
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    total = re.search(r"(\d+) requests in", output)
    non = re.search(r"NON2XX (\d+)", output)
    wrk_non = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return WrkResult(
        requests_per_s=float(rate.group(1)) if rate else 0.0,
        p50_ms=_ms(p50.group(1)) if p50 else float("nan"),
        p99_ms=_ms(p99.group(1)) if p99 else float("nan"),
        non_2xx=max(int(non.group(1)) if non else 0, int(wrk_non.group(1)) if wrk_non else 0),
        errors=sum(map(int, errors.groups())) if errors else 0,
        requests=int(total.group(1)) if total else 0,
    )


class Wrk:
    def __init__(self, binary: str, threads: int = 2, connections: int = 32):
        self.binary, self.threads, self.connections = binary, threads, connections
        self.script = tempfile.NamedTemporaryFile("w", prefix="gr-bench-", suffix=".lua", delete=False)
        self.script.write(WRK_SCRIPT)
        self.script.close()

    def run(self, port: int, path: str, seconds: float, headers: dict | None = None) -> WrkResult:
        command = [self.binary, f"-t{self.threads}", f"-c{self.connections}", f"-d{max(1, round(seconds))}s", "--latency",
                   "--timeout", "20s", "-s", self.script.name, "-H", f"User-Agent: {USER_AGENT}"]
        for name, value in (headers or {}).items():
            command += ["-H", f"{name}: {value}"]
        command.append(f"http://127.0.0.1:{port}{path}")
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
        result = parse_wrk(done.stdout + done.stderr)
        if not result.requests:
            raise RuntimeError(f"wrk measured nothing:\n{done.stdout}{done.stderr}")
        return result


def drain(port: int, path: str = "/api/v1/categories", limit: float = 90) -> None:
    """Wait until the app has answered what wrk left queued (one cheap request gets through)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            get(port, path, timeout=limit)
            return
        except OSError:
            time.sleep(0.5)


def run_measured(command: list[str], env: dict, timeout: float) -> tuple[int, float, float, str]:
    """Run a child; (exit code, seconds, peak resident MB of the child, its output)."""
    started = time.perf_counter()
    out = tempfile.TemporaryFile()
    process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            break
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    return process.returncode, seconds, usage.ru_maxrss / 1024, out.read().decode("utf-8", "replace")
