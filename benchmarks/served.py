"""The exercise server as the benchmarks start it: `uvicorn` in a subprocess on a free 127.0.0.1 port, up when
its /healthz answers (shared by bench_exercise.py and bench_c2sim_session.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence

import httpx

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_server(env: Mapping[str, str], args: Sequence[str] = ()) -> tuple[subprocess.Popen[bytes], str]:
    """Start the server with `env` added to this process's environment and `args` added to uvicorn's; the
    process and its base URL. Exits with a message when it does not come up within 60 s."""
    port = free_port()
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "alliance_c2.exercise.web.app:create_app", "--host", HOST,
           "--port", str(port), "--log-level", "warning", "--no-access-log", *args]
    proc = subprocess.Popen(cmd, env={**os.environ, **env})
    base = f"http://{HOST}:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not come up within 60 s")
