"""tests/cli: most tests check arguments in-process (typer's CliRunner); those that start `mock-okta` as a real
process are marked `subprocess` (`-m "not subprocess"` leaves them out)."""

from __future__ import annotations


def pytest_configure(config):
    config.addinivalue_line("markers", "subprocess: starts mock-okta (or another program) as a real process")
