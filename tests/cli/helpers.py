"""How the CLI tests run `mock-okta`: in this process (`cli`, typer's CliRunner) or as the installed program a user
runs (`mock_okta`), with the same result type, so a test can use either."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from mock_okta.cli import app

BIN = Path(sys.executable).parent
AUTH = "Authorization: Basic YWRtaW46c3VwZXJzZWNyZXQ="
Run = Callable[..., subprocess.CompletedProcess[str]]


def mock_okta(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed program, as a user runs it."""
    return subprocess.run(
        [str(BIN / "mock-okta"), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "120"},
    )


def cli(*args: str, env: dict[str, str | None] | None = None) -> subprocess.CompletedProcess[str]:
    """The same command in this process. An exception other than the CLI's own exits is raised here, so a test that
    a command answers without a traceback fails loudly instead."""
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "120", **(env or {})}, catch_exceptions=False)
    return subprocess.CompletedProcess(["mock-okta", *args], result.exit_code, result.stdout, result.stderr)


def fire_at(hook, *args: str, auth: bool = True, run: Run = cli) -> subprocess.CompletedProcess[str]:
    """`mock-okta fire` at the sample hook, with its auth header unless `auth=False`."""
    return run("fire", "--hook-url", hook.hook_url, *(("--auth-header", AUTH) if auth else ()), *args)
