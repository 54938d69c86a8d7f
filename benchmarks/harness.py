"""What the benchmarks share: where things are, the set-up they need (Debian's wrk, the Express reference's
packages), free ports, starting servers and reading wrk."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BIN = Path(sys.executable).parent
EXPRESS = ROOT / "benchmarks" / "express-reference"
AUTH = "Basic YWRtaW46c3VwZXJzZWNyZXQ="
WRK_SCRIPT = """
local f = io.open("{body}"); local body = f:read("*a"); f:close()
wrk.method = "POST"; wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "{auth}"
"""


def setup() -> None:
    if shutil.which("wrk") is None:
        if os.geteuid() != 0:
            sys.exit("benchmarks need wrk: sudo apt-get install -y wrk")
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)
    if not (EXPRESS / "node_modules" / "express").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=EXPRESS, check=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start(
    command: list[str], port: int, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=env)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    sys.exit(f"{command[0]} did not start on port {port}")


def found(pattern: str, text: str) -> re.Match[str]:
    match = re.search(pattern, text, re.M)
    if match is None:
        sys.exit(f"no {pattern!r} in:\n{text}")
    return match


def wrk(url: str, script: Path, seconds: int, connections: int = 32) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(label: str) -> float:
        value, unit = found(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        sys.exit(f"wrk saw {non2xx.group(1)} error responses from {url}")
    rps = float(found(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = float(found(r"(\d+) requests in", out).group(1))
    return {"rps": rps, "p50": ms("50%"), "p99": ms("99%"), "requests": requests}
