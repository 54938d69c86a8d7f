"""How `pytest -n N` hands tests to its workers here (root conftest.py, `pytest_xdist_make_scheduler`): whole
modules, one at a time, to whichever worker is down to its running test; every collected item runs once, also
items that share a node id (schemathesis' operations do); other `--dist` modes keep xdist's own scheduler."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

ROOT = Path(__file__).parents[2]

# Collected in this order (the costliest modules first): a.py's three tests, b.py's one, c.py's two operations
# under one node id, d.py's one.
COLLECTION = [
    "a.py::test_1", "a.py::test_2", "a.py::test_3",
    "b.py::test_1",
    "c.py::test_api", "c.py::test_api",
    "d.py::test_1",
]  # fmt: skip


class Worker:
    """What the scheduler sees of an xdist worker: the tests it was sent, and whether it was told to stop."""

    def __init__(self, name: str) -> None:
        self.gateway = SimpleNamespace(id=name)
        self.sent: list[int] = []
        self.shutting_down = False

    def send_runtest_some(self, indices: list[int]) -> None:
        self.sent.extend(indices)

    def shutdown(self) -> None:
        self.shutting_down = True


class Config:
    def __init__(self, dist: str) -> None:
        self.options = {"dist": dist, "maxschedchunk": None, "tx": ["2*popen"]}

    def getoption(self, name: str) -> Any:
        return self.options[name]

    getvalue = getoption


@pytest.fixture
def root_conftest(request: pytest.FixtureRequest) -> ModuleType:
    return request.config.pluginmanager.get_plugin(str(ROOT / "conftest.py"))


def modules(worker: Worker) -> list[str]:
    return [COLLECTION[index].split("::")[0] for index in worker.sent]


def test_a_free_worker_gets_the_next_whole_module_and_every_item_runs_once(root_conftest):
    scheduler = root_conftest.pytest_xdist_make_scheduler(Config("load"), None)
    first, second = Worker("gw0"), Worker("gw1")
    for worker in (first, second):
        scheduler.add_node(worker)
        scheduler.add_node_collection(worker, COLLECTION)
    scheduler.schedule()
    # Each worker is sent modules until it knows a test beyond the one it runs (xdist runs a test once it knows
    # the next): a.py alone for the first; b.py's single test and c.py for the second.
    assert modules(first) == ["a.py"] * 3
    assert modules(second) == ["b.py", "c.py", "c.py"]

    scheduler.mark_test_complete(first, 0)
    assert modules(first) == ["a.py"] * 3, "two of a.py still queued: nothing more yet"
    scheduler.mark_test_complete(first, 1)
    assert modules(first) == ["a.py"] * 3 + ["d.py"], "down to its running test: the next whole module"
    assert first.shutting_down, "nothing left to hand out: the worker stops after its queue"

    for index in (2, 6):
        scheduler.mark_test_complete(first, index)
    for index in (3, 4, 5):
        scheduler.mark_test_complete(second, index)
    assert second.shutting_down
    assert sorted(first.sent + second.sent) == list(range(len(COLLECTION))), "each item once, shared ids too"
    assert scheduler.tests_finished


@pytest.mark.parametrize("dist", ["loadfile", "loadscope", "worksteal", "no"])
def test_other_distributions_keep_xdist_s_own_scheduler(root_conftest, dist):
    assert root_conftest.pytest_xdist_make_scheduler(Config(dist), None) is None
