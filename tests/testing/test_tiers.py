"""The test tiers of this repository (root conftest.py, markers in pyproject.toml), proven on a small project that
uses the same conftest.py and markers: every test gets exactly one tier, its own marker or the one its fixtures and
code show, and a test that does more than its tier allows fails, naming the marker it needs."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).parents[2]
TIERS_AND_FUZZ = ("unit", "server", "subprocess", "browser", "fuzz")

TESTS_OF_EVERY_TIER = """
import subprocess
import sys

import pytest
from hypothesis import given, strategies as st
from starlette.applications import Starlette

from mock_okta.serving.thread import ServerThread


def run_a_process():
    return subprocess.run([sys.executable, "-c", "pass"], check=True)


@pytest.fixture
def own_server():
    with ServerThread(Starlette()) as server:
        yield server.url


def test_plain():
    assert 1 + 1 == 2


def test_on_the_mock_org(okta_org):
    pass


def test_on_a_server_of_its_own(own_server):
    pass


def test_through_a_helper_that_runs_a_process():
    run_a_process()


def test_in_a_browser(page):
    pass


@pytest.mark.subprocess
def test_with_its_own_marker():
    pass


@given(st.integers())
def test_fuzzed(number):
    pass
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A project with this repository's conftest.py and tier markers (and --strict-markers)."""
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    pytester.makepyprojecttoml(
        "[tool.pytest.ini_options]\n"
        'addopts = "--strict-markers -p no:cacheprovider"\n'
        'testpaths = ["."]\n'
        f"markers = {json.dumps(options['markers'])}\n"
    )
    pytester.makeconftest((ROOT / "conftest.py").read_text())
    return pytester


def marks(item: pytest.Item) -> list[str]:
    return sorted(mark.name for mark in item.iter_markers() if mark.name in TIERS_AND_FUZZ)


# The project's conftest.py is a second module named `conftest` in this process: importlib mode keeps them apart.
IN_PROCESS = "--import-mode=importlib"


def test_every_test_gets_one_tier_from_its_marker_or_its_fixtures_and_code(project):
    project.makepyfile(test_tiers=TESTS_OF_EVERY_TIER)
    items, _ = project.inline_genitems(IN_PROCESS)
    tiers = {item.originalname: marks(item) for item in items}
    assert tiers == {
        "test_plain": ["unit"],
        "test_on_the_mock_org": ["server"],
        "test_on_a_server_of_its_own": ["server"],
        "test_through_a_helper_that_runs_a_process": ["subprocess"],
        "test_in_a_browser": ["browser"],
        "test_with_its_own_marker": ["subprocess"],
        "test_fuzzed": ["fuzz", "unit"],
    }


def test_two_tiers_on_one_test_are_a_usage_error(project):
    project.makepyfile(
        test_two="import pytest\n\npytestmark = pytest.mark.server\n\n\n@pytest.mark.unit\ndef test_both():\n    pass\n"
    )
    result = project.runpytest(IN_PROCESS)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*a test has one tier marker; these have more:", "test_two.py::test_both: server, unit"]
    )


def test_a_test_that_does_more_than_its_tier_fails_naming_the_marker_it_needs(project):
    project.makepyfile(
        test_breaches="""
import socket
import subprocess
import sys

import pytest


def test_binds_a_socket():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))


@pytest.mark.server
def test_starts_a_process():
    subprocess.run([sys.executable, "-c", "pass"])
"""
    )
    # pytest-playwright's soft-assertion scope around every test cannot nest inside this test's own.
    result = project.runpytest(IN_PROCESS, "-p", "no:playwright")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines_random(
        [
            "*test_binds_a_socket is a unit test but binds a socket to ('127.0.0.1', 0): mark it server",
            "*test_starts_a_process is a server test but starts a process *: mark it subprocess",
        ]
    )
