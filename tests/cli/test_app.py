"""The app itself: `--help` is cheap (it imports no command's machinery) and readable where there is no terminal to
measure, and the option defaults the CLI repeats from the hook layer are the hook layer's."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from mock_okta.cli import options
from mock_okta.hook.cases import RUN_TAG_PREFIX
from mock_okta.hook.settings import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT

from .helpers import BIN

# What a command imports when it runs, never for --help: the web app, the server, the org, the hook layer (httpx),
# fake profiles, Locust, the real org's client, the progress bar.
HEAVY = (
    "fastapi",
    "starlette",
    "uvicorn",
    "httpx",
    "faker",
    "locust",
    "requests",
    "rich.progress",
    "mock_okta.hook",
    "mock_okta.hooktypes",
    "mock_okta.org",
    "mock_okta.okta_org",
    "mock_okta.testing",
    "mock_okta.load",
)


def test_the_option_defaults_are_the_hook_layers():
    assert (options.OKTA_TIMEOUT, options.OKTA_MAX_RETRIES) == (DEFAULT_TIMEOUT, DEFAULT_MAX_RETRIES)
    assert options.RUN_TAG_PREFIX == RUN_TAG_PREFIX
    from mock_okta.cli.commands.org import DEFAULT_STATE
    from mock_okta.okta_org import STATE_FILE

    assert DEFAULT_STATE == STATE_FILE  # where `org attach` writes is where the org target's preflight reads


@pytest.mark.subprocess
@pytest.mark.parametrize("command", [[], ["fire"], ["serve"], ["org", "cleanup"], ["widget", "path"]])
def test_help_imports_no_command_machinery(command):
    script = (
        "import sys\n"
        "from mock_okta.cli import app\n"
        "try:\n"
        f"    app([*{command!r}, '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print([name for name in {HEAVY!r} if name in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"


@pytest.mark.subprocess
def test_help_is_not_cut_at_80_columns_without_a_terminal():
    """Captured output (CI logs, pipes) used to get rich's 80 columns, which split most descriptions in two."""
    env = {name: value for name, value in os.environ.items() if name not in ("COLUMNS", "TERMINAL_WIDTH")}
    done = subprocess.run(
        [str(BIN / "mock-okta"), "fire", "--help"], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 0
    assert max(len(line) for line in done.stdout.splitlines()) > 80
    assert any("The hook's URL (https, or http on loopback). [required]" in line for line in done.stdout.splitlines())
