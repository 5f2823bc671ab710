"""Start ``python app.py`` in its own process for the benchmarks and the tests that serve it like a Space."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mib(pid: int, field: str = "VmRSS") -> float:
    """A process's resident memory (``VmRSS``) or its peak (``VmHWM``), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """The CPU time a process has used so far (user + system), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _die_with_parent() -> None:
    """Linux: the server gets SIGTERM when the process that started it dies (a killed test run leaves no
    server behind holding its ports, e.g. the Spaces reloader's fixed 7887)."""
    ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG


@contextlib.contextmanager
def app_process(*args: str, cwd: Path = ROOT, env: dict | None = None, timeout: float = 120, log=None):
    """Run ``python app.py ARGS`` on a free port; yields ``(process, url)`` once it answers, stops it after."""
    from gradio_client import Client

    port = free_port()
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "GRADIO_SERVER_PORT": str(port), **(env or {})}
    server = subprocess.Popen(
        [sys.executable, "app.py", "--no-download", *args],  # (a test or a timing downloads nothing)
        cwd=cwd,
        env=env,
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        stdout=log or subprocess.DEVNULL,
        stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                Client(url, verbose=False)
                break
            except Exception:
                if server.poll() is not None:
                    raise RuntimeError(f"the app exited during start-up (exit code {server.returncode})") from None
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the app did not answer within {timeout:.0f} s") from None
                time.sleep(0.1)
        yield server, url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@contextlib.contextmanager
def worktree(ref: str):
    """A detached checkout of commit ``ref`` beside this one (the other side of a side-by-side benchmark),
    removed afterwards."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "baseline"
        subprocess.run(["git", "worktree", "add", "--detach", str(folder), ref], cwd=ROOT, check=True)
        try:
            yield folder
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT, check=False)
