"""Issue 22's figure: client-credentials tokens per second at `mock-okta serve`'s `default` authorization server
with no hook on the rule, and with the sample hook's `/tokenHook` on it, in the same run, as a ratio.

    python benchmarks/tokens.py [--runs N] [--seconds S] [--out FILE]

One `mock-okta serve` (in memory, `--no-sample-hook`) and one `hook-under-test` on loopback. Set up over the
Management API as a customer would: a token inline hook with the guide's auth header, a custom scope on `default`,
a service app (`client_credentials`, `client_secret_basic`). Each run measures both ways, alternating which goes
first: the `Default Policy Rule` without `actions.token.inlineHook`, then with it (or the reverse), each way

- throughput: `wrk -t1 -c32` for S seconds (tokens/s, and p50/p99 under that load);
- CPU: the org's and the hook's CPU time over the throughput run (/proc), per token;
- latency: `wrk -t1 -c1` for S/2 seconds (p50/p99 of a token request alone).

The sample hook answers a client-credentials minting with 204 (no ID token, no patient), so the hook's own work is
next to nothing and the difference is the org's: building Okta's request, the channel, the verdict, the journal and
the System Log. Every answer must be 200 (wrk's non-2xx count stops the script), and after each run the journal
must show it: new calls, all of them answered 204, with the hook on; not one new call without it. Results go to
benchmarks/tokens.json; medians of the runs. All traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import base64
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
from harness import AUTH, BIN, ROOT, free_port, setup, start, wrk

API_TOKEN = "token-bench"
SCOPE = "bench:read"
TOKEN_SCRIPT = """
wrk.method = "POST"
wrk.body = "grant_type=client_credentials&scope={scope}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "{auth}"
"""


class Org:
    """The org's side of the benchmark: the objects, attaching and detaching the hook, the journal."""

    def __init__(self, api: httpx.Client, hook_url: str) -> None:
        self.api = api
        self.hook_id = self._create(
            "/api/v1/inlineHooks",
            {
                "name": "Sample token hook",
                "type": "com.okta.oauth2.tokens.transform",
                "version": "1.0.0",
                "channel": {
                    "type": "HTTP",
                    "version": "1.0.0",
                    "config": {
                        "uri": hook_url,
                        "method": "POST",
                        "authScheme": {"type": "HEADER", "key": "Authorization", "value": AUTH},
                    },
                },
            },
        )["id"]
        self._create("/api/v1/authorizationServers/default/scopes", {"name": SCOPE})
        app = self._create(
            "/api/v1/apps",
            {
                "label": "Token bench service",
                "signOnMode": "OPENID_CONNECT",
                "credentials": {"oauthClient": {"token_endpoint_auth_method": "client_secret_basic"}},
                "settings": {"oauthClient": {"application_type": "service", "grant_types": ["client_credentials"]}},
            },
        )
        client = app["credentials"]["oauthClient"]
        pair = f"{client['client_id']}:{client['client_secret']}".encode()
        self.basic = "Basic " + base64.b64encode(pair).decode("ascii")
        [policy] = self._get("/api/v1/authorizationServers/default/policies")
        self.rules = f"/api/v1/authorizationServers/default/policies/{policy['id']}/rules"
        [self.rule] = self._get(self.rules)

    def _get(self, path: str) -> Any:
        response = self.api.get(path)
        if response.status_code != 200:
            sys.exit(f"GET {path}: {response.status_code} {response.text}")
        return response.json()

    def _create(self, path: str, body: dict[str, Any]) -> Any:
        response = self.api.post(path, json=body)
        if response.status_code not in (200, 201):
            sys.exit(f"POST {path}: {response.status_code} {response.text}")
        return response.json()

    def attach(self, hooked: bool) -> None:
        """The rule with the sample hook (`actions.token.inlineHook.id`), or without any."""
        rule = json.loads(json.dumps(self.rule))
        rule["actions"]["token"].pop("inlineHook", None)
        if hooked:
            rule["actions"]["token"]["inlineHook"] = {"id": self.hook_id}
        response = self.api.put(f"{self.rules}/{rule['id']}", json=rule)
        if response.status_code != 200:
            sys.exit(f"PUT the rule: {response.status_code} {response.text}")

    def calls(self) -> list[dict[str, Any]]:
        """The hook's newest journal entries (up to 1,000, newest first)."""
        return list(self._get(f"/_mock/journal?inlineHookId={self.hook_id}&limit=1000"))

    def settled_calls(self) -> list[dict[str, Any]]:
        """The journal once no call is landing: wrk stops with requests in flight, which the org still finishes
        (and calls the hook for) after the rule has changed. Unchanged for 0.3 s, or 10 s at most."""
        calls, deadline = self.calls(), time.monotonic() + 10
        while time.monotonic() < deadline:
            time.sleep(0.3)
            again = self.calls()
            if [c["id"] for c in again[:1]] == [c["id"] for c in calls[:1]]:
                return again
            calls = again
        sys.exit("the hook's journal did not settle in 10 s")


def checked(org: Org, hooked: bool, before: list[dict[str, Any]]) -> dict[str, Any]:
    """What the journal says about the run that followed `before`: with the hook, new calls all answered 204 (a
    failed call still issues tokens, so wrk alone could not tell); without it, no new call."""
    after = org.settled_calls()
    newest = before[0]["id"] if before else None
    # Newest first: what comes before the run's last known call is new (all 1,000 when more were made).
    new = after[: next((i for i, call in enumerate(after) if call["id"] == newest), len(after))]
    if not hooked:
        if new:
            sys.exit(f"{len(new)} hook calls while no rule named the hook")
        return {"newCalls": 0}
    statuses = [attempt.get("status") for call in new for attempt in call.get("attempts", [])[-1:]]
    if not new or any(status != 204 for status in statuses):
        sys.exit(f"the hook was not called, or not answered 204, for every token: {statuses[:10]}")
    return {"newCalls": len(new), "checkedAt204": len(statuses)}


def cpu_seconds(pid: int) -> float:
    """The process's CPU time so far, user and system, all threads (/proc/PID/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(base: str, script: Path, seconds: int, org_pid: int, hook_pid: int) -> dict[str, float]:
    """One way's figures. CPU per token (the org's and the hook's, over the loaded run) moves far less than
    tokens/s when the machine's other work comes and goes: the figure to compare code changes by."""
    url = f"{base}/oauth2/default/v1/token"
    org_cpu, hook_cpu = cpu_seconds(org_pid), cpu_seconds(hook_pid)
    loaded = wrk(url, script, seconds)
    org_cpu, hook_cpu = cpu_seconds(org_pid) - org_cpu, cpu_seconds(hook_pid) - hook_cpu
    alone = wrk(url, script, max(1, seconds // 2), connections=1)
    return {
        "tokensPerSecond": loaded["rps"],
        "p50Ms": loaded["p50"],
        "p99Ms": loaded["p99"],
        "orgCpuMsPerToken": org_cpu * 1000 / loaded["requests"],
        "hookCpuMsPerToken": hook_cpu * 1000 / loaded["requests"],
        "aloneP50Ms": alone["p50"],
        "aloneP99Ms": alone["p99"],
        "alonePerSecond": alone["rps"],
    }


def bench_token(runs: int, seconds: int, work: Path) -> dict[str, Any]:
    hook_port, org_port = free_port(), free_port()
    hook = start([str(BIN / "hook-under-test"), "--port", str(hook_port)], hook_port)
    command = [str(BIN / "mock-okta"), "serve", "--port", str(org_port), "--api-token", API_TOKEN]
    org_process = start([*command, "--no-sample-hook"], org_port, env={**os.environ})
    base = f"http://127.0.0.1:{org_port}"
    results: dict[str, list[dict[str, Any]]] = {"without": [], "with": []}
    try:
        with httpx.Client(base_url=base, headers={"Authorization": f"SSWS {API_TOKEN}"}, timeout=30) as api:
            org = Org(api, f"http://127.0.0.1:{hook_port}/tokenHook")
            script = work / "token.lua"
            script.write_text(TOKEN_SCRIPT.format(scope=SCOPE, auth=org.basic))
            for hooked in (False, True):  # warm-up, both ways
                org.attach(hooked)
                wrk(f"{base}/oauth2/default/v1/token", script, 1)
            for index in range(runs):
                order = (False, True) if index % 2 == 0 else (True, False)
                for hooked in order:
                    before = org.settled_calls()
                    org.attach(hooked)
                    row: dict[str, Any] = {**measure(base, script, seconds, org_process.pid, hook.pid)}
                    row["journal"] = checked(org, hooked, before)
                    results["with" if hooked else "without"].append(row)
    finally:
        org_process.terminate()
        hook.terminate()
    metrics = ["tokensPerSecond", "p50Ms", "p99Ms", "orgCpuMsPerToken", "hookCpuMsPerToken"]
    metrics += ["aloneP50Ms", "aloneP99Ms", "alonePerSecond"]
    summary: dict[str, Any] = {
        way: {metric: statistics.median(row[metric] for row in rows) for metric in metrics}
        for way, rows in results.items()
    }
    summary["ratio"] = summary["with"]["tokensPerSecond"] / summary["without"]["tokensPerSecond"]
    summary["runs"] = results
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration of each throughput run")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "tokens.json")
    args = parser.parse_args()
    if not 1 <= args.runs <= 20 or not 1 <= args.seconds <= 60:
        sys.exit("--runs 1..20 and --seconds 1..60")
    setup()
    with tempfile.TemporaryDirectory() as tmp:
        report = bench_token(args.runs, args.seconds, Path(tmp))
    report["cores"] = os.cpu_count()
    report["when"] = time.strftime("%Y-%m-%d")
    report["commit"] = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    for way in ("without", "with"):
        row = report[way]
        print(
            f"{way:8s} {row['tokensPerSecond']:7.0f} tokens/s  p50 {row['p50Ms']:.2f} ms  p99 {row['p99Ms']:.2f} ms "
            f"(32 connections); org CPU {row['orgCpuMsPerToken']:.2f} ms/token, hook CPU "
            f"{row['hookCpuMsPerToken']:.2f}; alone p50 {row['aloneP50Ms']:.2f} ms  p99 {row['aloneP99Ms']:.2f} ms"
        )
    print(f"ratio    {report['ratio']:.2f} (with the hook / without)")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
