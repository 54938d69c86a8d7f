"""Locust user classes for Okta Registration Inline Hooks. Use with Locust's own CLI and web UI, on one machine or
across many (`--master` / `--worker`), or through `mock-okta load`:

    locust -f $(python -c 'import mock_okta.load as l; print(l.LOCUSTFILE)') --host https://hooks.example.com/reg \\
        --okta-auth-header 'Authorization: Basic ...' OktaHookCaller

`OktaHookCaller` sends Okta-exact requests (the same builder as `fire`: self-service registration or progressive
profile, or the requests of a cases file) with the authScheme and custom headers, under Okta's deadline (per
attempt), retry rule and 256 KB cap, and judges every answer with the same verdict code as everywhere. Each call
is recorded once, under its outcome: `ALLOW`, `DENY`, a failure kind (`timeout`, `connection`, `http_status`,
`redirect`, `too_large`, `invalid_response`), `over budget` (answered, but slower than the latency budget,
default 80% of the deadline) or `unexpected` (a case's expectation not met). Failures, over-budget answers and
unexpected outcomes count as Locust failures.

`OrgSignUp` drives whole sign-ups through a mock org's IDX API (`--host` is the org): the page, introspect,
enroll, enroll/new, so the mock and the hook it calls are loaded together.
"""

from __future__ import annotations

import itertools
import json
import re
import time
from typing import Any

import gevent
import requests
from geventhttpclient import URL, HTTPClient
from geventhttpclient.response import HTTPParseError
from locust import User, events, task
from locust.env import Environment
from locust.runners import MasterRunner, WorkerRunner

from mock_okta.hook.cases import for_run, judge, load_cases, new_run_tag, new_uid
from mock_okta.hook.channel import DECODABLE, Attempt, BodyReader, Exchange, Failure, parse_header, should_retry
from mock_okta.hook.outcome import HookRun
from mock_okta.hook.registry import Case, HookType
from mock_okta.hook.settings import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, MAX_RESPONSE_BYTES
from mock_okta.hooktypes import REGISTRATION, REGISTRY

BUDGET_SHARE = 0.8
REQUEST_TYPE = "HOOK"
FAILED = "failed"


@events.init_command_line_parser.add_listener
def _options(parser: Any) -> None:
    group = parser.add_argument_group("Okta inline hook")
    group.add_argument("--okta-auth-header", default="", help="the authScheme header, 'Name: value'")
    group.add_argument("--okta-header", action="append", default=[], help="a custom channel header; repeatable")
    group.add_argument("--okta-cases", default="", help="a cases file: each call sends one of its cases, in turn")
    group.add_argument("--okta-request-type", default="registration", choices=["registration", "profile-update"])
    group.add_argument("--okta-timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per attempt (Okta: 3)")
    group.add_argument("--okta-retries", type=int, default=DEFAULT_MAX_RETRIES, help="retries (Okta: 1)")
    group.add_argument("--okta-budget", type=float, default=0.0, help="latency budget in s (default 80%% of timeout)")


@events.init.add_listener
def _loop_time_now(**_: Any) -> None:
    """The event loop's clock, read afresh before Locust starts its `--run-time` timer. libev times a timer from the
    time it last read, which on one process (no master) is from before the locustfile's and the run's set-up: a 3 s
    run lasted 2.2 s on an idle machine and 0.05 s on a loaded one, ending before any call had finished."""
    gevent.get_hub().loop.update_now()


FLUSH, FLUSHED = "mock_okta_flush", "mock_okta_flushed"
FINAL_REPORTS_SECONDS = 30.0


@events.init.add_listener
def _final_reports(environment: Environment, **_: Any) -> None:
    """With workers (`--workers K`), every call made before the run ended is counted. At `--run-time` Locust's master
    sends its workers `quit` and waits 0.5 s for their last reports: a worker still busy then reports too late, and
    a loaded 2-core machine saw runs whose table had lost a worker's calls, or all of them ("no call was made", the
    workers report every 3 s). So when the run stops, the master asks each worker to stop its users and send what it
    has not reported yet, and waits (up to FINAL_REPORTS_SECONDS) until every worker has said it did."""
    runner = environment.runner
    if isinstance(runner, MasterRunner):
        flushed: set[str] = set()
        runner.register_message(FLUSHED, lambda msg, **_: flushed.add(msg.node_id))

        @environment.events.test_stopping.add_listener
        def _await_final_reports(**_: Any) -> None:
            workers = {client.id for client in runner.clients.all}
            runner.send_message(FLUSH)
            deadline = time.monotonic() + FINAL_REPORTS_SECONDS
            while not workers <= flushed and time.monotonic() < deadline:
                gevent.sleep(0.05)

    elif isinstance(runner, WorkerRunner):
        worker = runner

        def _flush(**_: Any) -> None:
            worker.stop()
            worker._send_stats()  # the report `quit` sends, sent now: before the acknowledgement, on the same socket
            worker.send_message(FLUSHED)

        worker.register_message(FLUSH, _flush)


def record(environment: Environment, outcome: str, ms: float, size: int, problem: str | None) -> None:
    environment.events.request.fire(
        request_type=REQUEST_TYPE,
        name=outcome,
        response_time=ms,
        response_length=size,
        exception=AssertionError(problem) if problem else None,
        context={},
    )


class OktaHookCaller(User):
    """Calls the hook at `--host` as Okta does, as fast as it answers (Okta waits for nothing between calls)."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        options = environment.parsed_options
        self.uri = str(self.host)
        self.timeout = float(options.okta_timeout) if options else DEFAULT_TIMEOUT
        self.retries = int(options.okta_retries) if options else DEFAULT_MAX_RETRIES
        budget = float(options.okta_budget) if options else 0.0
        self.budget_ms = (budget or self.timeout * BUDGET_SHARE) * 1000
        header_lines = [options.okta_auth_header] if options and options.okta_auth_header else []
        header_lines += list(options.okta_header) if options else []
        self.headers = {"Accept": "application/json", "Content-Type": "application/json"}
        self.headers.update(dict(parse_header(line) for line in header_lines))
        self.request_type = options.okta_request_type if options else "registration"
        case_set = load_cases(options.okta_cases, REGISTRY) if options and options.okta_cases else None
        self.hook_type: HookType[Any] = case_set.hook_type if case_set else REGISTRATION
        cases: list[Case] = case_set.cases if case_set else []
        self.cases = itertools.cycle(cases) if cases else None
        self.tag = new_run_tag()
        self.count = itertools.count(1)
        self.session = requests.Session()
        # Okta sends the documented headers only: no User-Agent, no Accept-Encoding.
        self.session.headers.clear()

    def on_stop(self) -> None:
        self.session.close()

    @task
    def call_hook(self) -> None:
        case = next(self.cases) if self.cases else None
        if case is not None:
            uid = new_uid(self.tag, next(self.count))
            case = for_run(case, uid)
            request = case.request(uid)
        else:
            request = self.hook_type.build_request(self.request_type)
        exchange = self.send(request)
        verdict = self.hook_type.decide(request, exchange)
        run = HookRun(exchange, verdict)
        ms = exchange.total_ms
        if verdict.failure:
            detail = exchange.attempts[-1].detail or str(verdict.failure)
            record(self.environment, str(verdict.failure), ms, exchange.attempts[-1].bytes, detail)
            return
        problems = judge(case, run, timeout=self.timeout) if case is not None else []
        if case is not None and problems:
            record(self.environment, "unexpected", ms, len(exchange.body), f"{case.name}: {problems[0]}")
        elif ms > self.budget_ms:
            record(self.environment, "over budget", ms, len(exchange.body), f"{ms:.0f} ms > {self.budget_ms:.0f} ms")
        else:
            record(self.environment, verdict.outcome, ms, len(exchange.body), None)

    def send(self, request: dict[str, Any]) -> Exchange:
        payload = json.dumps(request, separators=(",", ":")).encode()
        exchange = Exchange(self.uri, request, {}, [])
        for number in range(1, self.retries + 2):
            attempt = self.attempt(number, payload, exchange)
            exchange.attempts.append(attempt)
            if not should_retry(attempt):
                break
        return exchange

    def attempt(self, number: int, payload: bytes, exchange: Exchange) -> Attempt:
        started = time.perf_counter()
        reader = BodyReader("identity", MAX_RESPONSE_BYTES)
        status: int | None = None

        def done(error: Failure | None = None, detail: str = "") -> Attempt:
            return Attempt(number, status, (time.perf_counter() - started) * 1000, reader.size, error, detail)

        try:
            with gevent.Timeout(self.timeout):
                response = self.session.post(
                    self.uri, data=payload, headers=self.headers, stream=True, allow_redirects=False
                )
                status = exchange.status = response.status_code
                exchange.response_headers = dict(response.headers)
                encoding = response.headers.get("content-encoding", "identity").strip().lower()
                if encoding not in DECODABLE:
                    response.close()
                    return done(Failure.INVALID_RESPONSE, f"Content-Encoding {encoding[:40]!r} cannot be decoded")
                reader = BodyReader(encoding, MAX_RESPONSE_BYTES)
                for raw in response.raw.stream(65536, decode_content=False):
                    if not reader.feed(raw):
                        response.close()
                        exchange.body = reader.body
                        return done(Failure.TOO_LARGE, reader.too_large)
        except gevent.Timeout:
            exchange.body = reader.body
            return done(Failure.TIMEOUT, f"no complete response within {self.timeout:g} s")
        except (requests.RequestException, OSError) as exc:
            return done(Failure.CONNECTION, type(exc).__name__)
        exchange.body = reader.body
        if 300 <= status < 400:
            return done(Failure.REDIRECT, f"HTTP {status}: Okta does not follow redirects")
        if not 200 <= status < 300:
            return done(Failure.HTTP_STATUS, f"HTTP {status}")
        return done()


STATE_TOKEN = re.compile(rb'"stateToken":\s*"([^"]+)"')
JSON = {"Content-Type": "application/json", "Accept": "application/ion+json; okta-version=1.0.0"}


class OrgSignUp(User):
    """A whole sign-up through a mock org's IDX API (`--host`): the outcome the widget would show.

    The four requests go through geventhttpclient (Locust's FastHttp client) on one kept-alive connection per user,
    not requests: a sign-up's client work was 60 % of the CPU of a `mock-okta load --org-url` run on one machine,
    more than the org's and the hook's together (benchmarks/README.md), and the load tool's share is CPU the org
    under test does not get. Like a browser, each user keeps the cookies the org sets (the device cookie `DT`)
    and sends them back."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        url = URL(str(self.host).rstrip("/") + "/")
        self.prefix = url.path.rstrip("/")
        self.client = HTTPClient.from_url(url, concurrency=1, connection_timeout=30, network_timeout=30)
        self.cookies: dict[str, str] = {}
        self.tag = new_run_tag()
        self.count = itertools.count(1)
        self.domains = itertools.cycle(["example.com", "gmail.com"])

    def on_stop(self) -> None:
        self.client.close()

    @task
    def sign_up(self) -> None:
        started = time.perf_counter()
        try:
            status, page = self.call("GET", "/")
            handle = STATE_TOKEN.search(page)
            if handle is None:
                raise ValueError(f"no stateToken on the sign-in page (HTTP {status})")
            state = handle.group(1).decode()
            self.call("POST", "/idp/idx/introspect", {"stateToken": state})
            self.call("POST", "/idp/idx/enroll", {"stateHandle": state})
            email = f"{new_uid(self.tag, next(self.count))}@{next(self.domains)}"
            profile = {"firstName": "Load", "lastName": "Test", "email": email}
            status, body = self.call("POST", "/idp/idx/enroll/new", {"stateHandle": state, "userProfile": profile})
            outcome, problem = sign_up_outcome(status, json.loads(body))
        except (OSError, HTTPParseError, ValueError, gevent.Timeout) as exc:
            outcome, problem = FAILED, f"{type(exc).__name__}: {exc}"
        record(self.environment, outcome, (time.perf_counter() - started) * 1000, 0, problem)

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, bytes]:
        """One request with the user's cookies; the status and the whole body. A 3xx is not followed (none of the
        four requests answers one)."""
        headers = dict(JSON) if body is not None else {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        payload = json.dumps(body).encode() if body is not None else b""
        response = self.client.request(method, self.prefix + path, body=payload, headers=headers)
        try:
            set_cookies(self.cookies, response.info().getlist("set-cookie"))
            return response.status_code, response.read()
        finally:
            response.release()


def set_cookies(jar: dict[str, str], lines: list[str]) -> None:
    """Keep each `Set-Cookie` line's name and value in the user's jar, or drop the cookie when the line deletes it
    (`Max-Age=0`, as Starlette's `delete_cookie` sends); other attributes do not matter for one org on one host."""
    for line in lines:
        pair, *attributes = line.split(";")
        name, equals, value = pair.partition("=")
        if not equals or not name.strip():
            continue
        if any(attribute.strip().lower() == "max-age=0" for attribute in attributes):
            jar.pop(name.strip(), None)
        else:
            jar[name.strip()] = value.strip()


def sign_up_outcome(status: int, doc: dict[str, Any]) -> tuple[str, str | None]:
    """ALLOW (the terminal view), DENY (the form again with the hook's messages), or the generic failure."""
    messages = [m for m in doc.get("messages", {}).get("value", []) if isinstance(m, dict)]
    keys = {m.get("i18n", {}).get("key") for m in messages}
    if status == 200:
        return "ALLOW", None
    if "registration.error.generic" in keys:
        return "hook failure", messages[0].get("message")
    if status == 400 and doc.get("remediation"):
        return "DENY", None
    return FAILED, f"HTTP {status}"
