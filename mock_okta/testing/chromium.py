"""pytest-playwright launches Debian's Chromium (or `CHROMIUM_PATH`) when Playwright has no browser of its own
(`playwright install` cannot download browsers everywhere); the locale is en-US, as the widget texts are.

The plugin registers this module after every entry-point plugin, so these fixtures wrap pytest-playwright's own.
They are module-level functions: session fixtures defined as methods of a plugin object are deprecated in pytest 8.4
(PytestRemovedIn10Warning on every browser run, issue 19 item 14).
"""

from __future__ import annotations

import os
from typing import Any

import pytest

DEBIAN_CHROMIUM = "/usr/bin/chromium"
# Headless test runs on small machines: no GPU, no background services, and one renderer process for the sign-in
# page and the hooks' origins alike (site isolation spawns a process per site; the scenarios visit one origin).
CHROMIUM_ARGS = (
    "--disable-background-networking",
    "--no-first-run",
    "--disable-gpu",
    "--disable-features=site-per-process,IsolateOrigins,Translate,OptimizationHints,MediaRouter,BackForwardCache",
    "--disable-component-update",
    "--disable-default-apps",
    "--mute-audio",
)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    args = dict(browser_type_launch_args)
    chromium = os.environ.get("CHROMIUM_PATH", DEBIAN_CHROMIUM)
    if "executable_path" not in args and "channel" not in args and os.path.exists(chromium):
        args["executable_path"] = chromium
        args["args"] = [*args.get("args", []), *CHROMIUM_ARGS]
    return args


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {"locale": "en-US", **browser_context_args}
