"""Issue 21's report: a `mock-okta serve` process on loopback under the hostile fuzz and the floods the hardening
rounds found, with its resident memory (VmRSS) read from /proc after each phase.

    python benchmarks/hardening.py [--fuzz N] [--requests N] [--handles N] [--seconds S] [--out FILE]

- fuzz:     N requests drawn from the hostile fuzz's generators (`mock_okta.testing.hostile`: NaN, Infinity, 1e999,
            lone surrogates, 5,000-deep nesting, wrong types, at every entry point), each with a fresh state handle
            from `GET /`; the answers by status, how many were 5xx (must be 0), and the reads checked afterwards.
- pages:    N `GET /` (each starts an Identity Engine transaction; live ones are capped at 10,000).
- resends:  N `POST /idp/idx/challenge/resend` on one handle at the email step: how many were answered 200 and 429,
            and how many messages the address's mailbox holds afterwards.
- handles:  N sign-ups up to the email step, one resend each (N handles, N addresses).
Every phase stops at N requests or S seconds, whichever comes first, and says which. Results go to
benchmarks/hardening.json; the figures in benchmarks/README.md are one run of this script. All traffic stays on
127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from harness import BIN, ROOT, free_port, start

from mock_okta.org.authenticators import EMAIL_AUTHENTICATOR_ID
from mock_okta.serving.thread import ServerThread
from mock_okta.testing.scripted_hook import ScriptedHook

TOKEN = "hardening-token"
API = {"Authorization": f"SSWS {TOKEN}"}
STATE_TOKEN = re.compile(r'"stateToken": ?"([^"]+)"')


def rss_mb(pid: int) -> float:
    """The process's resident memory now (VmRSS, kB in /proc/PID/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def new_handle(client: httpx.Client) -> str:
    """A state handle as a browser gets one: the sign-in page's `stateToken`."""
    page = client.get("/")
    match = STATE_TOKEN.search(page.text)
    if page.status_code != 200 or match is None:
        sys.exit(f"GET / answered {page.status_code} without a state token: is the widget installed (make setup)?")
    return match.group(1)


def idx(client: httpx.Client, path: str, handle: str, **body: Any) -> httpx.Response:
    return client.post(f"/idp/idx/{path}", json={"stateHandle": handle, **body})


def at_email_step(client: httpx.Client, email: str) -> str:
    """A sign-up up to the email's code: the page, Sign up, the form, "Send me an email"."""
    handle = new_handle(client)
    idx(client, "enroll", handle)
    signed_up = idx(client, "enroll/new", handle, userProfile={"firstName": "Pat", "lastName": "Doe", "email": email})
    sent = idx(client, "credential/enroll", handle, authenticator={"id": EMAIL_AUTHENTICATOR_ID})
    if signed_up.status_code != 200 or sent.status_code != 200:
        sys.exit(f"the sign-up of {email} stopped: {signed_up.status_code}, {sent.status_code}")
    return handle


def bounded(count: int, seconds: float, step: Callable[[int], int]) -> dict[str, Any]:
    """Run `step(i)` (which returns a status) up to `count` times or for `seconds`; the statuses and the time."""
    statuses: Counter[int] = Counter()
    started = time.perf_counter()
    for index in range(count):
        if time.perf_counter() - started > seconds:
            break
        statuses[step(index)] += 1
    elapsed = time.perf_counter() - started
    done = sum(statuses.values())
    return {
        "requests": done,
        "stoppedBy": "count" if done == count else "time",
        "byStatus": dict(sorted(statuses.items())),
        "serverErrors": sum(n for status, n in statuses.items() if status >= 500),
        "seconds": round(elapsed, 1),
    }


def fuzz(client: httpx.Client, count: int, seconds: float, hook_url: str) -> dict[str, Any]:
    from hypothesis import HealthCheck, given, settings

    from mock_okta.testing.hostile import READS, HostileRequest, hostile_requests, send

    hook = client.post(
        "/api/v1/inlineHooks",
        headers=API,
        json={
            "name": "fuzzed",
            "type": "com.okta.user.pre-registration",
            "version": "1.0.0",
            "channel": {"type": "HTTP", "version": "1.0.0", "config": {"uri": hook_url, "method": "POST"}},
        },
    ).json()
    (policy,) = client.get("/api/v1/policies", params={"type": "PROFILE_ENROLLMENT"}, headers=API).json()
    # Attached to the sign-up form's rule, so that the fuzzed sign-ups call it (okta-management-openapi-spec
    # ProfileEnrollmentPolicyRuleProfileAttribute... `actions.profileEnrollment.preRegistrationInlineHooks`).
    rule_url = f"/api/v1/policies/{policy['id']}/rules/rul1default0catchall"
    rule = client.get(rule_url, headers=API).json()
    rule["actions"]["profileEnrollment"]["preRegistrationInlineHooks"] = [{"inlineHookId": hook["id"]}]
    if client.put(rule_url, json=rule, headers=API).status_code != 200:
        sys.exit("could not attach the fuzzed hook to the profile enrollment rule")
    form = client.get("/api/v1/registration/form").json()
    ids = {
        "hook": hook["id"],
        "policy": policy["id"],
        "rule": "rul1default0catchall",
        "registration": str(form.get("policyId", "reg-unknown")),
    }
    statuses: Counter[int] = Counter()
    broken: list[str] = []
    started = time.perf_counter()

    @settings(max_examples=count, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(request=hostile_requests())
    def one(request: HostileRequest) -> None:
        if time.perf_counter() - started > seconds:
            return  # past the time bound: the rest of the examples are drawn but not sent
        handle = new_handle(client)
        idx(client, "enroll", handle)
        response = send(client, request, {**ids, "handle": handle}, TOKEN)
        statuses[response.status_code] += 1
        if response.status_code >= 500:
            broken.append(f"{request.method} {request.path}: {response.status_code}")
        if sum(statuses.values()) % 100 == 0:
            for path in READS:
                if client.get(path, headers=API).status_code != 200:
                    broken.append(f"read {path} failed after {request.method} {request.path}")

    one()
    sent = sum(statuses.values())
    return {
        "requests": sent,
        "stoppedBy": "count" if sent == count else "time",
        "serverErrors": sum(n for status, n in statuses.items() if status >= 500),
        "broken": broken[:10],
        "byStatus": dict(sorted(statuses.items())),
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fuzz", type=int, default=2_000, help="hostile requests (default 2,000)")
    parser.add_argument("--requests", type=int, default=10_000, help="GET / and resends on one handle (10,000)")
    parser.add_argument("--handles", type=int, default=10_000, help="sign-ups with one resend each (10,000)")
    parser.add_argument("--seconds", type=float, default=300, help="time bound of each phase (300)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "hardening.json")
    args = parser.parse_args()

    port = free_port()
    command = [str(BIN / "mock-okta"), "serve", "--port", str(port), "--api-token", TOKEN, "--no-sample-hook"]
    server = start(command, port, env={**os.environ})
    results: dict[str, Any] = {"server": " ".join(command[1:]), "rssMb": {}}
    try:
        with ServerThread(ScriptedHook()) as hook:
            base = f"http://127.0.0.1:{port}"
            with httpx.Client(base_url=base, timeout=30) as client:
                # The Management API's own rate limit (600 a minute per family) would answer most of the fuzz 429.
                client.put("/_mock/config", json={"rateLimit": 10**9})
                results["rssMb"]["start"] = rss_mb(server.pid)

                results["fuzz"] = fuzz(client, args.fuzz, args.seconds, f"{hook.url}/respond/allow")
                results["rssMb"]["afterFuzz"] = rss_mb(server.pid)

                results["pages"] = bounded(args.requests, args.seconds, lambda _: client.get("/").status_code)
                results["rssMb"]["afterPages"] = rss_mb(server.pid)

                email = "resend@example.com"
                handle = at_email_step(client, email)
                results["resends"] = bounded(
                    args.requests, args.seconds, lambda _: idx(client, "challenge/resend", handle).status_code
                )
                mailbox = client.get("/_mock/mailbox", params={"to": email}).json()
                results["resends"]["mailboxAfter"] = len(mailbox)
                results["rssMb"]["afterResendsOnOneHandle"] = rss_mb(server.pid)

                def sign_up_and_resend(index: int) -> int:
                    return idx(client, "challenge/resend", at_email_step(client, f"h{index}@example.com")).status_code

                results["handles"] = bounded(args.handles, args.seconds, sign_up_and_resend)
                results["rssMb"]["afterResendsOnManyHandles"] = rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=10)
    results["rssMb"] = {key: round(value, 1) for key, value in results["rssMb"].items()}
    results["when"] = time.strftime("%Y-%m-%d")
    results["commit"] = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
