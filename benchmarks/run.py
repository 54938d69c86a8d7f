"""Benchmarks named by the issues; results go to benchmarks/README.md (median of several runs, ratios to a
baseline measured in the same run).

    python benchmarks/run.py [--runs N] [--seconds S] [--only hook,fire,locust,idx,reads,timeout,startup,e2e]

- hook:    sample hook vs. the guide's Express hook (benchmarks/express-reference), wrk, 32 connections, the same
           request body; requests/s and p50/p99.
- fire:    `mock-okta fire --count 5000 --concurrency 32` against the sample hook; registrations/s as a ratio to
           the hook's raw requests/s from the same run.
- locust:  `mock-okta load` (Locust, 32 users) at the sample hook with 1 and with 2 local worker processes: calls/s
           as ratios to wrk's requests/s at the same hook in the same run.
- idx:     whole sign-ups/s (page, introspect, enroll, enroll/new) through `mock-okta serve` with the sample hook
           attached: `mock-okta load --org-url`, 32 users, 2 workers.
- reads:   the Management API's common reads (list hooks, get user, search users, logs limit=10) with wrk, 32
           connections, 1,000 users in the org.
- busy:    200 concurrent sign-ups through `mock-okta serve` with a hook answering in 2.9 s while 2 processes keep
           both cores busy: how many end allowed, and how many hook calls were retried (none should be).
- timeout: seconds until the channel gives up on a hanging and on a trickling hook (default 3 s deadline).
- gzip:    peak memory of `mock-okta fire --count 64 --concurrency 32` against a hook answering a gzip bomb (64 KB
           that expand to 64 MB), against the same run at an ordinary hook (the baseline).
- history: `GET /api/v1/logs?limit=10` with 100,000 stored events against the same with 100 (the baseline); the
           store's size after 30,000 hook calls with the default retention against keeping everything.
- fuzz:    10,000 hostile requests (mock_okta.testing.hostile) at every entry point of a mock org: how many answered
           5xx (must be 0), how many reads failed afterwards (must be 0), and the answers by status.
- startup: what the installed pytest plugin adds to every pytest start: `pytest --co` of a one-test project with
           the plugin against the same with `-p no:mock_okta` (the baseline), and `python -X importtime` of it.
- e2e:     seconds per Sign Up through the genuine widget in a warm Chromium (Gen2 and Gen3 together), against
           opening the sign-in page alone; and the wall time of `pytest -n 2 e2e`.
All traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from harness import AUTH, BIN, EXPRESS, ROOT, WRK_SCRIPT, found, free_port, setup, start, wrk
from limits import bench_e2e, bench_fuzz, bench_gzip, bench_history, bench_startup, bench_timeout

from mock_okta.hook.run import run_sync
from mock_okta.hooktypes.registration.payloads import build_request
from mock_okta.serving.thread import ServerThread
from mock_okta.testing.scripted_hook import ScriptedHook


def bench_hook(runs: int, seconds: int, work: Path) -> dict[str, Any]:
    body = work / "body.json"
    body.write_text(json.dumps(build_request(seed=1, email="pat@example.com")))
    script = work / "post.lua"
    script.write_text(WRK_SCRIPT.format(body=body, auth=AUTH))
    hook_port, express_port = free_port(), free_port()
    hook = start([str(BIN / "hook-under-test"), "--port", str(hook_port)], hook_port)
    express = start(["node", "server.js"], express_port, cwd=EXPRESS, env={**os.environ, "PORT": str(express_port)})
    results: dict[str, list[dict[str, float]]] = {"sample": [], "express": []}
    try:
        for url, _key in (
            (f"http://127.0.0.1:{hook_port}/registrationHook", "sample"),
            (f"http://127.0.0.1:{express_port}/registrationHook", "express"),
        ):
            wrk(url, script, 1)  # warm-up
        for _ in range(runs):
            results["sample"].append(wrk(f"http://127.0.0.1:{hook_port}/registrationHook", script, seconds))
            results["express"].append(wrk(f"http://127.0.0.1:{express_port}/registrationHook", script, seconds))
    finally:
        hook.terminate()
        express.terminate()
    summary: dict[str, Any] = {
        key: {metric: statistics.median(r[metric] for r in rows) for metric in ("rps", "p50", "p99")}
        for key, rows in results.items()
    }
    summary["ratio"] = summary["sample"]["rps"] / summary["express"]["rps"]
    summary["runs"] = results
    return summary


def bench_fire(runs: int, hook_rps: float) -> dict[str, Any]:
    port = free_port()
    hook = start([str(BIN / "hook-under-test"), "--port", str(port)], port)
    rates = []
    try:
        for _ in range(runs):
            out = subprocess.run(
                [
                    str(BIN / "mock-okta"),
                    "fire",
                    "--hook-url",
                    f"http://127.0.0.1:{port}/registrationHook",
                    "--auth-header",
                    f"Authorization: {AUTH}",
                    "--count",
                    "5000",
                    "--concurrency",
                    "32",
                    "--json",
                    "--seed",
                    "1",
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            summary = json.loads(out)
            assert summary["failures"] == {}, summary
            rates.append(summary["registrationsPerSecond"])
    finally:
        hook.terminate()
    median = statistics.median(rates)
    return {"registrationsPerSecond": median, "ratioToHookRaw": median / hook_rps if hook_rps else None, "runs": rates}


def load_report(args: list[str], work: Path) -> dict[str, Any]:
    """One `mock-okta load` run; its outcome totals from the final JSON stats."""
    from mock_okta.load.outcomes import read_report

    prefix = work / f"load-{time.monotonic_ns()}"
    subprocess.run(
        [str(BIN / "mock-okta"), "load", *args, "--json-file", str(prefix)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = read_report(prefix)
    return {"perSecond": report.per_second, "calls": report.calls, "failed": report.failed_calls}


def bench_locust(runs: int, seconds: int, hook_rps: float, work: Path) -> dict[str, Any]:
    """Okta-exact calls to the sample hook through Locust with 1 and 2 local workers (32 users)."""
    port = free_port()
    hook = start([str(BIN / "hook-under-test"), "--port", str(port)], port)
    results: dict[str, list[float]] = {"1": [], "2": []}
    try:
        for _ in range(runs):
            for workers in ("1", "2"):
                args = ["--hook-url", f"http://127.0.0.1:{port}/registrationHook", "--auth-header"]
                args += [f"Authorization: {AUTH}", "--users", "32", "--run-time", f"{seconds}s", "--workers", workers]
                outcome = load_report(args, work)
                assert outcome["failed"] == 0, outcome
                results[workers].append(outcome["perSecond"])
    finally:
        hook.terminate()
    medians = {workers: statistics.median(rates) for workers, rates in results.items()}
    return {
        "workers1PerSecond": medians["1"],
        "workers2PerSecond": medians["2"],
        "ratioToWrk1": medians["1"] / hook_rps if hook_rps else None,
        "ratioToWrk2": medians["2"] / hook_rps if hook_rps else None,
        "runs": results,
    }


def serve_org(port: int, hook_port: int) -> subprocess.Popen[bytes]:
    command = [str(BIN / "mock-okta"), "serve", "--port", str(port), "--api-token", "bench"]
    command += ["--hook-url", f"http://127.0.0.1:{hook_port}/registrationHook", "--hook-auth-header"]
    return start([*command, f"Authorization: {AUTH}"], port)


def bench_idx(runs: int, seconds: int, work: Path) -> dict[str, Any]:
    """Whole sign-ups (page, introspect, enroll, enroll/new) through `mock-okta serve` with the sample hook
    attached, 32 Locust users in 2 local worker processes."""
    hook_port, org_port = free_port(), free_port()
    hook = start([str(BIN / "hook-under-test"), "--port", str(hook_port)], hook_port)
    org = serve_org(org_port, hook_port)
    rates = []
    try:
        for _ in range(runs):
            args = ["--org-url", f"http://127.0.0.1:{org_port}", "--users", "32", "--run-time", f"{seconds}s"]
            outcome = load_report([*args, "--workers", "2"], work)
            assert outcome["failed"] == 0, outcome
            rates.append(outcome["perSecond"])
    finally:
        org.terminate()
        hook.terminate()
    return {"signUpsPerSecond": statistics.median(rates), "runs": rates}


READS = {
    "listHooks": "/api/v1/inlineHooks",
    "getUser": "/api/v1/users/{user}",
    "searchUsers": "/api/v1/users?search=profile.email%20eq%20%22{email}%22",
    "logsLimit10": "/api/v1/logs?limit=10",
}


def bench_reads(runs: int, seconds: int, work: Path) -> dict[str, Any]:
    """The Management API's common reads with wrk (32 connections) against `mock-okta serve` holding 1,000 users
    and their sign-up events; the rate limit raised so that it measures the server, not the quota."""
    hook_port, org_port = free_port(), free_port()
    hook = start([str(BIN / "hook-under-test"), "--port", str(hook_port)], hook_port)
    org = serve_org(org_port, hook_port)
    base = f"http://127.0.0.1:{org_port}"
    headers = {"Authorization": "SSWS bench", "Content-Type": "application/json"}
    results: dict[str, list[float]] = {name: [] for name in READS}
    try:
        with httpx.Client(base_url=base, headers=headers, timeout=30) as api:
            api.put("/_mock/config", json={"rateLimit": 1_000_000})
            for index in range(1000):
                email = f"reader{index}@example.com"
                profile = {"firstName": "R", "lastName": str(index), "email": email, "login": email}
                user = api.post("/api/v1/users", json={"profile": profile}).json()
        values = {"user": user["id"], "email": email}
        script = work / "get.lua"
        script.write_text('wrk.headers["Authorization"] = "SSWS bench"\n')
        for _ in range(runs):
            for name, path in READS.items():
                results[name].append(wrk(base + path.format(**values), script, seconds)["rps"])
    finally:
        org.terminate()
        hook.terminate()
    return {name: statistics.median(rates) for name, rates in results.items()} | {"runs": results}


HOG = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end: pass\n"


def bench_busy(runs: int) -> dict[str, Any]:
    """200 concurrent sign-ups through `mock-okta serve` whose hook answers in 2.9 s, while 2 processes keep both
    cores busy (as `pytest -n 2` with browsers does): how many end allowed, cut or retried (issue 9)."""
    app = ScriptedHook()
    results = []
    with ServerThread(app) as hook:
        for _ in range(runs):
            org_port = free_port()
            command = [str(BIN / "mock-okta"), "serve", "--port", str(org_port), "--api-token", "bench"]
            org = start([*command, "--hook-url", f"{hook.url}/slow/2900"], org_port)
            hogs = [subprocess.Popen([sys.executable, "-c", HOG.format(seconds=30)]) for _ in range(2)]
            try:
                outcomes = run_sync(_sign_ups(f"http://127.0.0.1:{org_port}", 200))
                journal = httpx.get(f"http://127.0.0.1:{org_port}/_mock/journal", params={"limit": 1000}).json()
            finally:
                for process in hogs:
                    process.kill()
                org.terminate()
            results.append(
                {
                    "allowed": outcomes.count("ALLOW"),
                    "failed": len(outcomes) - outcomes.count("ALLOW"),
                    "retried": sum(1 for call in journal if len(call["attempts"]) > 1),
                    "slowestAttemptMs": max(a["ms"] for call in journal for a in call["attempts"]),
                }
            )
    return {"runs": results, "allowedMedian": statistics.median(r["allowed"] for r in results)}


async def _sign_ups(base: str, count: int) -> list[str]:
    json_headers = {"Accept": "application/ion+json; okta-version=1.0.0"}
    limits = httpx.Limits(max_connections=count)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits, headers=json_headers) as client:

        async def one(index: int) -> str:
            try:
                return await sign_up(index)
            except httpx.HTTPError as exc:  # counted, not fatal: the table says how many
                return f"client {type(exc).__name__}"

        async def sign_up(index: int) -> str:
            page = await client.get("/")
            handle = found(r'"stateToken":\s*"([^"]+)"', page.text).group(1)
            await client.post("/idp/idx/introspect", json={"stateToken": handle})
            await client.post("/idp/idx/enroll", json={"stateHandle": handle})
            profile = {"firstName": "Busy", "lastName": str(index), "email": f"busy{index}@example.com"}
            reply = await client.post("/idp/idx/enroll/new", json={"stateHandle": handle, "userProfile": profile})
            return "ALLOW" if reply.status_code == 200 else f"HTTP {reply.status_code}"

        return list(await asyncio.gather(*(one(index) for index in range(count))))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per run")
    parser.add_argument("--only", default="hook,fire,locust,idx,reads,busy,timeout,gzip,history,fuzz,startup,e2e")
    args = parser.parse_args()
    only = set(args.only.split(","))
    setup()
    report: dict[str, Any] = {"cores": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        if "hook" in only or "fire" in only or "locust" in only:
            report["hook"] = hook = bench_hook(args.runs, args.seconds, Path(tmp))
            sample, express = hook["sample"], hook["express"]
            print(f"sample hook  {sample['rps']:8.0f} req/s  p50 {sample['p50']:.2f} ms  p99 {sample['p99']:.2f} ms")
            print(f"express ref  {express['rps']:8.0f} req/s  p50 {express['p50']:.2f} ms  p99 {express['p99']:.2f} ms")
            print(f"ratio        {hook['ratio']:.2f}x")
        if "fire" in only:
            report["fire"] = fire = bench_fire(max(3, args.runs // 2 + 1), hook["sample"]["rps"])
            print(
                f"fire         {fire['registrationsPerSecond']:8.0f} registrations/s  "
                f"({fire['ratioToHookRaw']:.2f} of the hook's raw req/s)"
            )
        if "locust" in only:
            hook_rps = report.get("hook", {}).get("sample", {}).get("rps", 0.0)
            report["locust"] = locust = bench_locust(max(3, args.runs // 2 + 1), args.seconds, hook_rps, Path(tmp))
            print(
                f"locust       {locust['workers1PerSecond']:8.0f} calls/s with 1 worker, "
                f"{locust['workers2PerSecond']:.0f} with 2 ({locust['ratioToWrk1'] or 0:.2f} and "
                f"{locust['ratioToWrk2'] or 0:.2f} of wrk)"
            )
        if "idx" in only:
            report["idx"] = idx = bench_idx(max(3, args.runs // 2 + 1), args.seconds, Path(tmp))
            print(f"idx          {idx['signUpsPerSecond']:8.0f} sign-ups/s (32 users, sample hook attached)")
        if "reads" in only:
            report["reads"] = reads = bench_reads(max(3, args.runs // 2 + 1), args.seconds, Path(tmp))
            print("reads        " + ", ".join(f"{name} {reads[name]:.0f} req/s" for name in READS))
        if "busy" in only:
            report["busy"] = busy = bench_busy(3)
            print(
                "busy         "
                + "; ".join(
                    f"{r['allowed']}/200 allowed, {r['retried']} retried, slowest {r['slowestAttemptMs']:.0f} ms"
                    for r in busy["runs"]
                )
            )
        if "timeout" in only:
            report["timeout"] = timeout = bench_timeout(args.runs)
            for key, value in timeout.items():
                print(
                    f"timeout {key:8s} median {value['median']:.3f} s  (min {value['min']:.3f}, max {value['max']:.3f})"
                )
        if "gzip" in only:
            report["gzip"] = bomb = bench_gzip(max(3, args.runs // 2 + 1))
            print(
                f"gzip bomb    fire peak {bomb['bomb']['medianMb']:.0f} MB vs {bomb['ordinary']['medianMb']:.0f} MB "
                f"at an ordinary hook ({bomb['ratio']:.2f}x)"
            )
        if "history" in only:
            report["history"] = history = bench_history(args.runs)
            logs, store = history["logsLimit10Ms"], history["storeMbAfter30kCalls"]
            print(
                f"history      /api/v1/logs?limit=10: {logs['at100k']:.1f} ms at 100k events vs {logs['at100']:.1f} ms "
                f"at 100; store after 30k calls {store['defaultRetention']:.0f} MB (retention) vs "
                f"{store['keepEverything']:.0f} MB (everything)"
            )
        if "fuzz" in only:
            report["fuzz"] = fuzz = bench_fuzz(10_000)
            print(
                f"fuzz         {fuzz['requests']} hostile requests in {fuzz['seconds']:.0f} s: "
                f"{fuzz['serverErrors']} answered 5xx, {len(fuzz['broken'])} problems; by status {fuzz['byStatus']}"
            )
        if "startup" in only:
            report["startup"] = startup = bench_startup(args.runs, Path(tmp))
            print(
                f"startup      pytest --co {startup['with']['median']:.3f} s with the plugin, "
                f"{startup['without']['median']:.3f} s without: +{startup['addedSeconds'] * 1000:.0f} ms; "
                f"plugin import {startup['importMs']['median']:.1f} ms"
            )
        if "e2e" in only:
            report["e2e"] = e2e = bench_e2e(args.runs)
            for case in ("boot", "allowed", "denied"):
                print(f"e2e {case:8s} median {e2e[case]['median']:.3f} s per scenario (warm browser)")
            print(f"e2e suite    median {e2e['suite']['median']:.1f} s wall (pytest -n 2 e2e)")
    out = ROOT / "benchmarks" / "results.json"
    previous = json.loads(out.read_text()) if out.exists() else {}
    out.write_text(json.dumps({**previous, **report}, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
