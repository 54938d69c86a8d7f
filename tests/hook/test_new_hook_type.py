"""The seam every hook type plugs into: a made-up type (`com.example.test.hook`, a one-field contract), written only
as a `HookType` and registered, runs through `fire`, `verify` with a cases file, the Inline Hooks API's `execute`
and the Preview tab, with no edit anywhere else. If a front door names the registration hook instead of asking the
registry, one of these fails."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import httpx
import pytest
from pydantic import BaseModel, ConfigDict
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from typer.testing import CliRunner

from mock_okta.cli import app as cli
from mock_okta.hook.channel import Exchange
from mock_okta.hook.ids import event_time, okta_id
from mock_okta.hook.outcome import HookRun, Message, VerdictRules, Violation, parse_body, unknown_keys
from mock_okta.hook.overrides import OverrideError, apply_override
from mock_okta.hook.registry import Case, CaseProblem, ContractError, HookType, RequestOptions
from mock_okta.hooktypes import REGISTRY
from mock_okta.serving.thread import ServerThread

TYPE = "com.example.test.hook"


class WordAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    verdict: str


@dataclass
class WordVerdict:
    """YES when the hook answers {"verdict": "YES"}; anything else the contract does not allow is a failure."""

    word: str
    failure: Any = None
    violations: list[Violation] | None = None
    messages: list[Message] | None = None
    debug_context: Any = None

    def __post_init__(self) -> None:
        self.violations = self.violations or []
        self.messages = self.messages or []

    @property
    def outcome(self) -> str:
        return self.word

    @property
    def proceeds(self) -> bool:
        return self.word == "YES"

    def to_json(self) -> dict[str, Any]:
        return {"word": self.word, "failure": self.failure, "violations": [v.to_json() for v in self.violations or []]}


@dataclass(frozen=True)
class WordCase:
    name: str
    expect: str | None
    word: str
    max_ms: float | None = None

    def request(self, uid: str, *, seed: int | None = None, engine: str = "ie") -> dict[str, Any]:
        return WORD.build_request(None, RequestOptions(sets=(f"data.word={self.word.replace('{uid}', uid)}",)))

    def judge_details(self, run: HookRun[Any]) -> list[str]:
        return []

    def skip_reason(self, engine: str) -> str | None:
        return None


class WordHook(HookType[WordVerdict]):
    type = TYPE
    name = "word"
    title = "Word hook (made up for this test)"
    request_kinds = ("word",)
    outcomes = ("YES", "NO")
    case_keys = ("word",)
    outcome_label = "Word"
    response_model = WordAnswer
    org_values: ClassVar[frozenset[str]] = frozenset()

    def build_request(self, kind: str | None = None, options: RequestOptions = RequestOptions()) -> dict[str, Any]:
        if options.engine != "ie":
            raise OverrideError("a word hook has no engines")
        request = {"eventId": okta_id("evt"), "eventTime": event_time(), "eventType": TYPE, "data": {"word": "hello"}}
        for assignment in options.sets:
            apply_override(request, assignment)
        return request

    def validate_request(self, body: Any) -> None:
        if not isinstance(body, dict) or not isinstance(body.get("data", {}).get("word"), str):
            raise ContractError("data.word", "a text is required")

    def decide(self, request: dict[str, Any], exchange: Exchange, rules: VerdictRules = VerdictRules()) -> WordVerdict:
        if exchange.failed:
            return WordVerdict("NO", failure=exchange.attempts[-1].error)
        violations: list[Violation] = []
        body = parse_body(exchange.body, violations)
        if body is None:
            return WordVerdict("NO", failure="invalid_response", violations=violations)
        violations += unknown_keys(body, ("verdict",), rules)
        word = "YES" if body.get("verdict") == "YES" else "NO"
        return WordVerdict(word, violations=violations, messages=[Message(f"the hook said {word}")])

    def parse_case(self, name: str, expect: str, max_ms: float | None, entry: dict[str, Any]) -> Case:
        word = entry.get("word")
        if not isinstance(word, str):
            raise CaseProblem("word", "the word to send, a text")
        return WordCase(name, expect, word, max_ms)


WORD = WordHook()


def word_hook(request_body: dict[str, Any]) -> Response:
    """The hook under test: YES for words that start with a vowel, else NO."""
    word = request_body["data"]["word"]
    return JSONResponse({"verdict": "YES" if word[:1].lower() in "aeiou" else "NO"})


async def endpoint(request: Request) -> Response:
    if request.headers.get("authorization") != "Bearer good":
        return JSONResponse({"error": "unauthorized"}, 401)
    return word_hook(json.loads(await request.body()))


@pytest.fixture
def word_type() -> Iterator[WordHook]:
    REGISTRY.register(WORD)
    yield WORD
    REGISTRY.unregister(TYPE)


@pytest.fixture(scope="module")
def hook_url() -> Iterator[str]:
    with ServerThread(Starlette(routes=[Route("/word", endpoint, methods=["POST"])])) as server:
        yield f"{server.url}/word"


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


def test_fire_sends_the_types_request_and_judges_its_answer(word_type, hook_url):
    auth = ("--auth-header", "Authorization: Bearer good")
    result = invoke("fire", "--type", "word", "--hook-url", hook_url, *auth, "--set", "data.word=apple", "--json")
    assert result.exit_code == 0, result.output
    run = json.loads(result.output)
    assert run["request"]["body"]["eventType"] == TYPE and run["request"]["body"]["data"]["word"] == "apple"
    assert (run["outcome"], run["word"]) == ("YES", "YES")
    # --expect is the type's own outcome vocabulary, and a mismatch fails
    assert invoke("fire", "--type", TYPE, "--hook-url", hook_url, *auth, "--expect", "yes").exit_code == 1
    bad = invoke("fire", "--type", "word", "--hook-url", hook_url, *auth, "--expect", "allow")
    assert bad.exit_code == 2 and "--expect must be yes, no or failure" in bad.output


def test_verify_runs_the_shared_checks_and_a_cases_file_of_the_type(word_type, hook_url, tmp_path):
    cases = tmp_path / "word-cases.yaml"
    cases.write_text(
        "type: com.example.test.hook\ncases:\n"
        "  - {name: vowels pass, word: apple, expect: 'yes'}\n"
        "  - {name: consonants do not, word: pear, expect: 'no'}\n"
        "  - {name: a wrong expectation, word: plum, expect: 'yes'}\n"
    )
    result = invoke(
        "verify", "--hook-url", hook_url, "--auth-header", "Authorization: Bearer good", "--cases", str(cases), "--json"
    )
    report = json.loads(result.output)
    outcome = {r["name"]: (r["passed"], r["problems"]) for r in report["results"]}
    assert outcome["vowels pass"] == (True, [])
    assert outcome["consonants do not"] == (True, [])
    assert outcome["a wrong expectation"] == (False, ["expected YES, but Okta's outcome is NO"])
    assert outcome["a missing auth header is refused"][0] and outcome["a wrong auth header is refused"][0]
    assert outcome["every answer matches the response schema"][0]
    assert "progressive-profile requests do not break it" not in outcome, "a registration check leaked in"
    assert result.exit_code == 1


def test_a_cases_file_for_another_type_is_refused_by_verify_type(word_type, hook_url, tmp_path):
    cases = tmp_path / "cases.yaml"
    cases.write_text("type: word\ncases:\n  - {name: a, word: apple, expect: 'yes'}\n")
    result = invoke("verify", "--type", "registration", "--hook-url", hook_url, "--cases", str(cases))
    assert result.exit_code == 2
    assert "the file's cases are for word hooks, not registration" in result.output


def test_schema_prints_the_types_response_schema(word_type):
    result = invoke("schema", "response", "--type", "word")
    assert result.exit_code == 0 and json.loads(result.output)["title"] == "WordAnswer"


def test_execute_and_preview_call_a_stored_hook_of_the_type(word_type, hook_url, okta_org):
    api = httpx.Client(base_url=okta_org.url, headers=okta_org.api_headers)
    created = api.post(
        "/api/v1/inlineHooks",
        json={
            "name": "Word hook",
            "type": TYPE,
            "version": "1.0.0",
            "channel": {
                "type": "HTTP",
                "version": "1.0.0",
                "config": {
                    "uri": hook_url,
                    "method": "POST",
                    "authScheme": {"type": "HEADER", "key": "Authorization", "value": "Bearer good"},
                },
            },
        },
    )
    assert created.status_code == 200, created.text
    hook_id = created.json()["id"]

    executed = api.post(f"/api/v1/inlineHooks/{hook_id}/execute", json=WORD.build_request())
    assert executed.status_code == 200 and executed.json() == {"verdict": "NO"}  # "hello"

    preview = f"{okta_org.url}/admin/inline-hooks/{hook_id}/preview"
    page = httpx.get(preview)
    assert page.status_code == 200 and "Word hook (made up for this test)" in page.text
    generated = httpx.post(f"{preview}/request", json={"requestType": "word"})
    assert generated.status_code == 200 and generated.json()["eventType"] == TYPE
    request = {**generated.json(), "data": {"word": "orange"}}
    shown = httpx.post(f"{preview}/response", json=request)
    assert shown.status_code == 200
    assert (shown.json()["outcome"], shown.json()["response"]["body"]) == ("YES", {"verdict": "YES"})
    journal = okta_org.org.store.hook_calls(inline_hook_id=hook_id)
    assert [call.registration for call in journal] == ["YES", "NO"], "the journal keeps the type's outcome"


def test_a_type_okta_knows_but_the_mock_does_not_call_is_stored_and_not_executed(okta_org):
    api = httpx.Client(base_url=okta_org.url, headers=okta_org.api_headers)
    body = {
        "name": "Telephony",
        "type": "com.okta.telephony.provider",
        "version": "1.0.0",
        "channel": {"type": "HTTP", "version": "1.0.0", "config": {"uri": "https://hooks.example.com/t"}},
    }
    created = api.post("/api/v1/inlineHooks", json=body)
    assert created.status_code == 200, created.text
    executed = api.post(f"/api/v1/inlineHooks/{created.json()['id']}/execute", json={"data": {}})
    assert executed.status_code == 501 and executed.json()["errorCode"] == "E0000015"


def test_the_admin_add_form_offers_the_type_and_an_edit_keeps_it(word_type, hook_url, okta_org):
    form_page = httpx.get(f"{okta_org.url}/admin/inline-hooks/new")
    assert f'<option value="{TYPE}">Word hook (made up for this test)</option>' in form_page.text
    origin = {"Origin": okta_org.url}
    fields = {"type": TYPE, "name": "Words", "uri": hook_url, "auth_key": "Authorization", "auth_value": "Bearer good"}
    added = httpx.post(f"{okta_org.url}/admin/inline-hooks/new", data={**fields, "attach": "yes"}, headers=origin)
    assert added.status_code == 303, added.text
    [hook] = [h for h in okta_org.org.inline_hooks.all() if h.name == "Words"]
    assert hook.type == TYPE
    assert okta_org.org.inline_hooks.attached() is None, "only a registration hook is attached to sign-up"
    edited = httpx.post(
        f"{okta_org.url}/admin/inline-hooks/{hook.id}", data={**fields, "name": "Words 2"}, headers=origin
    )
    assert edited.status_code == 303, edited.text
    assert okta_org.org.inline_hooks.get(hook.id).type == TYPE
