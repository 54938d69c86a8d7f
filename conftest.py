"""Project-wide pytest settings, and the test tiers. The mock-okta fixtures come from the installed plugin (entry point
pytest11).

Every test carries exactly one tier marker (pyproject.toml says what each means), so `pytest -m unit` (or server,
subprocess, browser) runs one tier:

- a test's own `@pytest.mark.<tier>` (on the test, its class, or the module's `pytestmark`) is kept; two tiers are a
  usage error;
- otherwise the evidence decides, the most expensive tier first: the `browser` or `page` fixture makes it `browser`;
  the subprocess module (or `runpytest_subprocess`) named by the test, or by a fixture or helper of the test tree it
  reaches, makes it `subprocess`; one of the plugin's server fixtures, or a ServerThread (the sample hook's server,
  werkzeug's make_server, asyncio's start_server) reached the same way, makes it `server`; nothing makes it `unit`.

Tests under tests/cli follow the same rule: one that runs `mock-okta` as a process is `subprocess`, one that runs it
in this process (typer's CliRunner) is `unit`, or `server` by its fixtures, with no marker of its own.

Hypothesis and schemathesis tests are also marked `fuzz`. At run time a `unit` test that binds a TCP/UDP socket or
starts a process, and a `server` test that starts a process, fails and names the marker it needs: a tier stays true
when its test changes.
"""

from __future__ import annotations

import ctypes.util
import inspect
import os
import socket
import subprocess
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

# Authlib's `deprecate` module, on import, puts "always show" for its warnings at the front of Python's filters, ahead
# of pyproject's `filterwarnings`; imported here first, pytest's filters (added in front for each test) win again.
import authlib.deprecate  # noqa: F401
import pytest
from hypothesis import HealthCheck, is_hypothesis_test, settings

# Hypothesis examples here make real HTTP calls on loopback; keep them bounded and deadline-free.
settings.register_profile("mock-okta", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("mock-okta")

TIERS = ("unit", "server", "subprocess", "browser")
# The tiers by what a module of them usually costs, the costliest first: child processes (pytest runs, the CLI, the
# example workflows) take tens of seconds, browser scenarios seconds each, servers and units far less. A fuzzed
# server module (hundreds of generated requests: schemathesis' operations, the hostile sample) takes 20 s or more:
# it goes before the other servers (handed out last among them, one ended the run 10 s after the other workers).
COST_ORDER = ("subprocess", "browser", "fuzz", "server", "unit")
# pytest-playwright's fixtures that open Chromium (e2e's `page` hands out a tab of the same `browser`).
BROWSER_FIXTURES = frozenset({"browser", "page"})
# The plugin's fixtures that start, or call, a server on loopback: the mock org, the sample hook, the hook under test.
# `okta_tokens` reaches the mock org (or, on an org target, the org) through `getfixturevalue`: named here.
SERVER_FIXTURES = frozenset({"mock_okta_server", "okta_org", "okta_target", "sample_hook", "okta_tokens"}) | frozenset(
    {"mock_okta", "okta_hook_url", "okta_hook_auth_header"}  # these call the hook under test: the sample hook or yours
)
# Names in the code of a test, or of a fixture or helper of the test tree it reaches.
PROCESS_NAMES = frozenset({"subprocess", "Popen", "runpytest_subprocess", "create_subprocess_exec"})
SERVER_NAMES = frozenset({"ServerThread", "serve_sample_hook", "make_server", "start_server"})


@pytest.hookimpl(tryfirst=True)  # before pytest's own hook deselects by `-m`
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The test folders (each with a trailing separator) and this file, as prefixes of a code object's file name:
    # compared as strings, since a Path per function reached took a quarter of collecting the suite.
    test_tree = (*(f"{config.rootpath / path}{os.sep}" for path in config.getini("testpaths")), __file__)
    conflicts = []
    for item in items:
        own = {mark.name for mark in item.iter_markers() if mark.name in TIERS}
        if len(own) > 1:
            conflicts.append(f"{item.nodeid}: {', '.join(sorted(own))}")
        elif not own:
            item.add_marker(_tier_from_evidence(item, test_tree))
        if is_hypothesis_test(getattr(item, "obj", None)) and not item.get_closest_marker("fuzz"):
            item.add_marker("fuzz")
    if conflicts:
        raise pytest.UsageError("a test has one tier marker; these have more:\n" + "\n".join(conflicts))
    _costliest_modules_first(items)


def _costliest_modules_first(items: list[pytest.Item]) -> None:
    """Modules with a child process first, then browsers, fuzzed servers, servers, the unit tests, each module whole and
    in its own order. xdist hands tests to its workers in this order, so the long ones start at once and the many
    short ones fill the workers' ends, instead of a 30 s child run starting last (measured on 2 cores, one run each:
    the slowest worker ended at 248 s against 273 s in collection order). Not `--dist loadfile`: it keeps one test
    per node id, and schemathesis' 98 operations share one."""
    rank: dict[str, int] = {}
    for item in items:
        module = _module_of(item.nodeid)
        cost = "fuzz" if tier_of(item) == "server" and item.get_closest_marker("fuzz") else tier_of(item) or "unit"
        rank[module] = min(rank.get(module, len(COST_ORDER)), COST_ORDER.index(cost))
    items.sort(key=lambda item: rank[_module_of(item.nodeid)])  # stable: each module keeps its order


@pytest.hookimpl(optionalhook=True)  # xdist's hook: absent under `-p no:xdist`
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under `-n` (xdist's `load` distribution), whole modules, one at a time, to whichever worker is free."""
    if config.getoption("dist") != "load":
        return None
    from xdist.scheduler import LoadScheduling

    class WholeModules(LoadScheduling):
        """xdist's `load` hands out runs of a quarter of each worker's share (300 of 1,200 tests at once), so one
        worker drew every browser module and ended 19 s after the others. Here a worker that is down to its
        running test gets the next whole module (its fixtures set up once), and the costliest modules come first
        (`_costliest_modules_first`), so the last ones handed out are the short ones. Items are counted by index:
        schemathesis' operations share one node id."""

        def schedule(self) -> None:
            assert self.collection_is_completed
            if self.collection is None:
                if not self._check_nodes_have_same_collection():
                    self.log("**Different tests collected, aborting run**")
                    return
                self.collection = next(iter(self.node2collection.values()))
                self.pending[:] = range(len(self.collection))
            for node in self.nodes:
                self.check_schedule(node)

        def check_schedule(self, node: Any, duration: float = 0) -> None:
            if node.shutting_down:
                return
            # A worker starts a test once it knows the next one (for teardown), so each keeps one more queued.
            while self.pending and len(self.node2pending[node]) < 2:
                module = _module_of(self.collection[self.pending[0]])
                size = 1
                while size < len(self.pending) and _module_of(self.collection[self.pending[size]]) == module:
                    size += 1
                self._send_tests(node, size)
            if not self.pending:
                node.shutdown()

    return WholeModules(config, log)


def _module_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def tier_of(item: pytest.Item) -> str | None:
    return next((mark.name for mark in item.iter_markers() if mark.name in TIERS), None)


def _tier_from_evidence(item: pytest.Item, test_tree: tuple[str, ...]) -> str:
    fixtures = set(getattr(item, "fixturenames", ()))
    if fixtures & BROWSER_FIXTURES:
        return "browser"
    names = _names_reached(item, test_tree)
    if names & PROCESS_NAMES:
        return "subprocess"
    if fixtures & SERVER_FIXTURES or names & SERVER_NAMES:
        return "server"
    return "unit"


def _names_reached(item: pytest.Item, test_tree: tuple[str, ...]) -> set[str]:
    """The global and attribute names in the code of the test and of the fixtures it gets, following the functions of
    the test tree they name (the plugin's fixtures are judged by their names: SERVER_FIXTURES)."""
    functions: list[Callable[..., Any]] = []
    test = getattr(item, "obj", None)
    if test is not None:
        functions.append(test)
        inner = getattr(getattr(test, "hypothesis", None), "inner_test", None)  # the body under @given
        if inner is not None:
            functions.append(inner)
    fixture_info = getattr(item, "_fixtureinfo", None)
    for definitions in getattr(fixture_info, "name2fixturedefs", {}).values():
        functions.append(definitions[-1].func)  # the definition closest to the test is the one it gets
    names: set[str] = set()
    seen: set[types.CodeType] = set()
    for function in functions:
        names |= _code_names(function, test_tree, seen)
    return names


def _code_names(function: Callable[..., Any], test_tree: tuple[str, ...], seen: set[types.CodeType]) -> set[str]:
    function = inspect.unwrap(function)
    code = getattr(function, "__code__", None)
    if code is None or code in seen or not code.co_filename.startswith(test_tree):
        return set()
    seen.add(code)
    names: set[str] = set()
    codes = [code]
    while codes:  # the function and the functions, lambdas and comprehensions nested in it
        current = codes.pop()
        names.update(current.co_names)
        codes.extend(const for const in current.co_consts if isinstance(const, types.CodeType))
    module_globals = getattr(function, "__globals__", {})
    for name in list(names):
        target = module_globals.get(name)
        if target is subprocess or getattr(target, "__module__", None) == "subprocess":  # also `from subprocess import`
            names.add("subprocess")
        elif callable(target):
            names |= _code_names(target, test_tree, seen)
    return names


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    with _held_to_tier(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    with _held_to_tier(item):
        return (yield)


@contextmanager
def _held_to_tier(item: pytest.Item) -> Iterator[None]:
    """A `unit` test binds no TCP/UDP socket and starts no process; a `server` test starts no process. The first
    breach is stopped where it happens and fails the test, naming the marker it needs (it fails even when a server
    thread swallowed the error)."""
    tier = tier_of(item)
    if tier not in ("unit", "server"):
        yield
        return
    breaches: list[str] = []
    real_bind = socket.socket.bind
    real_popen_init = subprocess.Popen.__init__

    def bind(sock: socket.socket, address: Any) -> None:
        if tier == "unit" and sock.family in (socket.AF_INET, socket.AF_INET6):
            breaches.append(f"binds a socket to {address!r}: mark it server")
            raise RuntimeError(breaches[-1])
        real_bind(sock, address)

    def popen_init(process: subprocess.Popen[Any], args: Any, *more: Any, **options: Any) -> None:
        if _finding_a_shared_library():
            real_popen_init(process, args, *more, **options)
            return
        breaches.append(f"starts a process {args!r}: mark it subprocess")
        raise RuntimeError(breaches[-1])

    with mock.patch.object(socket.socket, "bind", bind), mock.patch.object(subprocess.Popen, "__init__", popen_init):
        try:
            yield
        finally:
            if breaches:  # instead of whatever the stopped call raised, which says less
                message = f"{item.nodeid} is a {tier} test but {breaches[0]}"
                raise pytest.fail.Exception(message, pytrace=False) from None


def _finding_a_shared_library() -> bool:
    """Whether the process is the `ldconfig -p` (or compiler) probe of ctypes.util.find_library, which a C extension
    runs when it is first imported (the okta SDK's pycryptodomex looks for libgmp so): the import's doing, not the
    test's."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename == ctypes.util.__file__:
            return True
        frame = frame.f_back
    return False
