"""The benchmarks of limits and costs (`run.py --only timeout,gzip,history,fuzz,startup,e2e`): the deadline's
accuracy, memory against a gzip bomb, reads against a long history, the hostile fuzz, the plugin's start-up cost,
and the browser scenarios."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from harness import BIN, ROOT, found

from mock_okta.hook.channel import ChannelConfig, Failure, call_hook
from mock_okta.hook.run import run_sync
from mock_okta.hooktypes.registration.payloads import build_request
from mock_okta.serving.thread import ServerThread
from mock_okta.testing.scripted_hook import ScriptedHook


def bench_timeout(runs: int) -> dict[str, Any]:
    results: dict[str, list[float]] = {"hang": [], "trickle": []}
    with ServerThread(ScriptedHook()) as server:
        for _ in range(runs):
            for path in results:
                config = ChannelConfig(f"{server.url}/{path}", max_retries=0)
                exchange = run_sync(call_hook(config, build_request(seed=1)))
                assert exchange.attempts[0].error == Failure.TIMEOUT
                results[path].append(exchange.attempts[0].ms / 1000)
    return {
        key: {"median": statistics.median(v), "min": min(v), "max": max(v), "runs": v} for key, v in results.items()
    }


def peak_rss_mb(command: list[str]) -> float:
    """Run `command` and return its peak resident memory in MB (Linux `wait4` rusage, KB)."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    return usage.ru_maxrss / 1024


def bench_gzip(runs: int) -> dict[str, Any]:
    results: dict[str, list[float]] = {"bomb": [], "ordinary": []}
    with ServerThread(ScriptedHook()) as server:
        for _ in range(runs):
            for key, path in (("bomb", "gzip-bomb"), ("ordinary", "respond/allow")):
                command = [str(BIN / "mock-okta"), "fire", "--hook-url", f"{server.url}/{path}", "--retries", "0"]
                results[key].append(peak_rss_mb([*command, "--count", "64", "--concurrency", "32", "--json"]))
    summary: dict[str, Any] = {k: {"medianMb": statistics.median(v), "runs": v} for k, v in results.items()}
    summary["ratio"] = summary["bomb"]["medianMb"] / summary["ordinary"]["medianMb"]
    return summary


def bench_history(runs: int) -> dict[str, Any]:

    from mock_okta.org import Org, OrgSettings
    from mock_okta.org.system_log import hook_lifecycle
    from mock_okta.org.web import create_app

    def logs_ms(events: int) -> list[float]:
        org = Org(settings=OrgSettings(api_token="bench", retention=events + 1))
        hook = org.inline_hooks.create_and_attach("bench", "https://hooks.example.com/h", None)
        for _ in range(events):
            org.store.log_event(hook_lifecycle(hook, "updated"))
        timings = []
        with ServerThread(create_app(org)) as server, httpx.Client(base_url=server.url) as client:
            for _ in range(max(runs, 20)):
                started = time.perf_counter()
                client.get("/api/v1/logs", params={"limit": 10}, headers={"Authorization": "SSWS bench"})
                timings.append((time.perf_counter() - started) * 1000)
        return timings

    def store_mb(retention: int) -> float:
        org = Org(settings=OrgSettings(retention=retention))
        record = json.loads(
            json.dumps(run_sync(_unreachable_run()).to_json())
        )  # a real journal entry: request, attempts, response, verdict
        for _ in range(30_000):
            org.store.record_hook_call(None, record)
        (pages,) = org.store._execute("PRAGMA page_count")[0]
        (size,) = org.store._execute("PRAGMA page_size")[0]
        return float(pages * size / 1024 / 1024)

    small, large = logs_ms(100), logs_ms(100_000)
    return {
        "logsLimit10Ms": {"at100": statistics.median(small), "at100k": statistics.median(large)},
        "ratio": statistics.median(large) / statistics.median(small),
        "storeMbAfter30kCalls": {"defaultRetention": store_mb(10_000), "keepEverything": store_mb(10**9)},
    }


async def _unreachable_run() -> Any:
    from mock_okta.hook.run import unreachable
    from mock_okta.hooktypes import REGISTRATION

    return unreachable("https://hooks.example.com/h", REGISTRATION, build_request(seed=1), "connection refused")


def bench_fuzz(count: int) -> dict[str, Any]:
    from collections import Counter

    from hypothesis import HealthCheck, given, settings

    from mock_okta.hook.settings import CallSettings
    from mock_okta.org import Org, OrgSettings
    from mock_okta.org.web import create_app
    from mock_okta.testing.hostile import READS, HostileRequest, hostile_requests, oauth_ids, send

    statuses: Counter[int] = Counter()
    broken: list[str] = []
    with ServerThread(ScriptedHook()) as hook_server:
        org = Org(
            settings=OrgSettings(call=CallSettings(timeout=0.5, max_retries=0), api_token="fuzz", rate_limit=10**6)
        )
        hook = org.inline_hooks.create_and_attach("fuzzed", f"{hook_server.url}/respond/allow", None)
        ids = {
            "hook": hook.id,
            "policy": org.store.policy().id,
            "rule": "rul1default0catchall",
            "registration": org.classic.setting().policy_id,
            **oauth_ids(org),
        }
        with ServerThread(create_app(org)) as server, httpx.Client(base_url=server.url, timeout=10) as client:

            @settings(max_examples=count, deadline=None, database=None, suppress_health_check=list(HealthCheck))
            @given(request=hostile_requests())
            def fuzz(request: HostileRequest) -> None:
                handle = org.flow.start()
                client.post("/idp/idx/enroll", json={"stateHandle": handle})
                response = send(client, request, {**ids, "handle": handle}, "fuzz")
                statuses[response.status_code] += 1
                if response.status_code >= 500:
                    broken.append(f"{request.method} {request.path}: {response.status_code}")
                if len(broken) < 10 and sum(statuses.values()) % 50 == 0:
                    for path in READS:
                        if client.get(path, headers={"Authorization": "SSWS fuzz"}).status_code != 200:
                            broken.append(f"read {path} failed after {request.method} {request.path}")

            started = time.perf_counter()
            fuzz()
            seconds = time.perf_counter() - started
    return {
        "requests": sum(statuses.values()),
        "serverErrors": sum(n for s, n in statuses.items() if s >= 500),
        "broken": broken[:10],
        "byStatus": dict(sorted(statuses.items())),
        "seconds": seconds,
    }


def bench_startup(runs: int, work: Path) -> dict[str, Any]:
    """Seconds of `pytest --co` in a one-test project with the plugin and without it (`-p no:mock_okta`), and the
    plugin module's import time."""
    project = work / "startup"
    project.mkdir()
    (project / "test_one.py").write_text("def test_one():\n    assert True\n")
    runs = max(runs, 7)  # pytest starts in about a second; the difference is a few tens of ms
    timings: dict[str, list[float]] = {"with": [], "without": []}
    for _ in range(runs):
        for key, extra in (("with", []), ("without", ["-p", "no:mock_okta"])):
            started = time.perf_counter()
            command = [str(BIN / "pytest"), "--co", "-q", "-p", "no:cacheprovider", *extra]
            subprocess.run(command, cwd=project, check=True, capture_output=True)
            timings[key].append(time.perf_counter() - started)
    imports = []
    for _ in range(runs):
        err = subprocess.run(
            # pytest itself is loaded before its plugins, so it is imported first and not counted.
            [sys.executable, "-X", "importtime", "-c", "import pytest; import mock_okta.testing.plugin"],
            capture_output=True,
            text=True,
            check=True,
        ).stderr
        imports.append(int(found(r"^import time:\s+\d+ \|\s+(\d+) \| mock_okta\.testing\.plugin$", err).group(1)))
    result: dict[str, Any] = {key: {"median": statistics.median(v), "runs": v} for key, v in timings.items()}
    result["addedSeconds"] = result["with"]["median"] - result["without"]["median"]
    result["importMs"] = {"median": statistics.median(imports) / 1000, "runs": [i / 1000 for i in imports]}
    return result


def bench_e2e(runs: int) -> dict[str, Any]:
    """Seconds per Sign Up through the widget with a warm browser, against the bare widget boot as baseline;
    and the wall time of the whole e2e suite."""
    from playwright.sync_api import sync_playwright

    from hook_under_test.running import serve_sample_hook
    from mock_okta.org import Org
    from mock_okta.org.web import create_app
    from mock_okta.testing.pages import SignInPage

    timings: dict[str, list[float]] = {"boot": [], "allowed": [], "denied": [], "journey": []}
    with serve_sample_hook() as hook, sync_playwright() as playwright:
        org = Org()
        org.inline_hooks.create_and_attach("sample", hook.hook_url, hook.auth_header)
        with ServerThread(create_app(org)) as server:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--disable-background-networking", "--no-first-run"]
            )
            for widget in ("gen2", "gen3"):
                for index in range(runs + 1):  # the first round warms the browser's cache
                    for case in timings:
                        context = browser.new_context(locale="en-US")
                        page = context.new_page()
                        started = time.perf_counter()
                        sign_in = SignInPage(page, f"{server.url}/?widget={widget}").open()
                        if case != "boot":
                            domain = "gmail.com" if case == "denied" else "example.com"
                            email = f"b{index}{widget}{case}@{domain}"
                            form = sign_in.go_to_sign_up()
                            form.fill(firstName="Pat", lastName="Doe", email=email)
                            outcome = form.submit()
                            if case == "allowed":
                                outcome.expect_allowed()
                            elif case == "journey":  # the code from the mailbox, a password, signed in
                                verification = outcome.email_verification()
                                code = org.store.mailbox(email)[-1].code or ""
                                enrollment = verification.enter_code(code)
                                enrollment.set_password("Sunny-Day-2026").expect_home(email)
                            else:
                                outcome.expect_field_error("email", "Only example.com emails can register.")
                        if index:
                            timings[case].append(time.perf_counter() - started)
                        context.close()
            browser.close()
    suite = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([str(BIN / "pytest"), "-q", "-n", "2", "e2e"], cwd=ROOT, check=True, capture_output=True)
        suite.append(time.perf_counter() - started)
    result: dict[str, Any] = {k: {"median": statistics.median(v), "runs": v} for k, v in timings.items()}
    boot = statistics.median(timings["boot"])
    for case in ("allowed", "denied", "journey"):
        result[case]["ratioToBoot"] = statistics.median(timings[case]) / boot
    result["suite"] = {"median": statistics.median(suite), "runs": suite}
    return result
