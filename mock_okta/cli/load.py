"""`mock-okta load`: Locust, headless, on this machine with K local worker processes, then the outcome table."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from ..hook.channel import parse_header, uri_problem
from ..hook.settings import ConfigError
from ..load import LOCUSTFILE
from ..load.outcomes import read_report

SHAPES = {"hook": "OktaHookCaller", "signup": "OrgSignUp"}


def locust_command(
    *,
    shape: str,
    url: str,
    users: int,
    spawn_rate: float,
    run_time: str,
    workers: int,
    json_prefix: str,
    csv_prefix: str | None,
    html: str | None,
    okta_options: list[str],
) -> list[str]:
    locust = shutil.which("locust", path=str(Path(sys.executable).parent)) or shutil.which("locust") or "locust"
    command = [
        locust,
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--only-summary",
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate),
        "--run-time",
        run_time,
        "--host",
        url,
        "--json-file",
        json_prefix,
        "--exit-code-on-error",
        "0",  # the outcome table decides, with its thresholds
        *okta_options,
    ]
    if workers > 1:
        # The master and its local workers meet on a port of their own: Locust's default, 5557, would make two runs
        # on one machine (parallel CI jobs) collide.
        port = str(_free_port())
        command += ["--processes", str(workers), "--master-bind-port", port, "--master-port", port]
    if csv_prefix:
        command += ["--csv", csv_prefix]
    if html:
        command += ["--html", html]
    return [*command, SHAPES[shape]]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def check_inputs(
    shape: str, url: str, auth_header: str | None, headers: list[str], users: int, workers: int
) -> str | None:
    """The one-line problem with the options, or None."""
    problem = uri_problem(url)
    if problem:
        return f"--{'hook' if shape == 'hook' else 'org'}-url: {problem}"
    try:
        for line in [*headers, *([auth_header] if auth_header else [])]:
            parse_header(line)
    except ConfigError as exc:
        return str(exc)
    if users < 1 or not 1 <= workers <= 64:
        return "--users must be at least 1 and --workers from 1 to 64"
    return None


def json_prefix_for(json_prefix: str | None) -> str:
    return json_prefix or str(Path(tempfile.mkdtemp(prefix="mock-okta-load-")) / "load")


def run_locust(command: list[str]) -> int:
    """Runs Locust with its own output on stderr (stdout is the outcome table's)."""
    return subprocess.run(command, stdout=sys.stderr, stderr=sys.stderr, check=False).returncode


__all__ = ["check_inputs", "json_prefix_for", "locust_command", "read_report", "run_locust"]
