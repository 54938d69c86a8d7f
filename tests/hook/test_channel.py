"""Okta's transport rules for inline hooks, checked against a real misbehaving server on loopback."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

import mock_okta.hook.channel as channel_module
from mock_okta import MockOkta
from mock_okta.hook.channel import (
    AuthScheme,
    ChannelConfig,
    ConfigError,
    Failure,
    HookChannel,
    call_hook,
    parse_header,
    uri_problem,
)
from mock_okta.hook.run import run_sync
from mock_okta.hook.wire import WireTransport
from mock_okta.hooktypes.registration.payloads import build_request
from mock_okta.serving.thread import ServerThread
from mock_okta.testing.scripted_hook import ScriptedHook

AUTH = AuthScheme("Authorization", "Basic YWRtaW46c3VwZXJzZWNyZXQ=")


def call(url: str, **settings: object):
    return run_sync(call_hook(ChannelConfig(url, auth_scheme=AUTH, **settings), build_request(seed=7)))


def test_okta_sends_json_post_with_auth_and_custom_headers(scripted):
    """Rule: Okta POSTs JSON with Accept/Content-Type application/json, the authScheme header verbatim, and the
    channel's custom headers (Inline hooks concept page)."""
    app, base = scripted
    path = f"/echo-headers/{uuid.uuid4().hex}"
    exchange = call(base + path, headers=(("X-Other-Header", "some-value"),))
    assert not exchange.failed
    _, headers, body = next(r for r in app.requests if r[0] == path)
    assert headers["accept"] == "application/json"
    assert headers["content-type"] == "application/json"
    assert headers["authorization"] == "Basic YWRtaW46c3VwZXJzZWNyZXQ="
    assert headers["x-other-header"] == "some-value"
    assert b'"eventType":"com.okta.user.pre-registration"' in body
    assert exchange.request_headers["Authorization"] == "<redacted>", "the secret must never be recorded"


def test_okta_sends_only_the_documented_headers(scripted):
    """Rule: Accept, Content-Type, the authScheme and custom headers are all Okta documents (Inline hooks concept
    page); no User-Agent or Accept-Encoding a hook could come to rely on (issue 10, row 13)."""
    app, base = scripted
    path = f"/echo-headers/{uuid.uuid4().hex}"
    call(base + path, headers=(("X-Other-Header", "some-value"),))
    _, headers, _ = next(r for r in app.requests if r[0] == path)
    assert set(headers) - {"host", "connection", "content-length"} == {
        "accept",
        "content-type",
        "authorization",
        "x-other-header",
    }


def test_retry_once_after_5xx_then_success(scripted):
    """Rule: at most one retry, after a timeout, a network error or a 5xx."""
    app, base = scripted
    path = f"/flaky/{uuid.uuid4().hex}"
    exchange = call(base + path)
    assert [a.status for a in exchange.attempts] == [500, 200]
    assert app.calls[path] == 2
    assert not exchange.failed


def test_5xx_twice_fails_after_exactly_one_retry(scripted):
    """Rule: at most one retry."""
    _, base = scripted
    exchange = call(base + "/status/503")
    assert [a.status for a in exchange.attempts] == [503, 503]
    assert exchange.failed and exchange.attempts[-1].error == "http_status"


@pytest.mark.parametrize("status", [400, 401, 404, 405, 429])
def test_no_retry_after_4xx(scripted, status):
    """Rule: never retry after a 4xx."""
    exchange = call(f"{scripted[1]}/status/{status}")
    assert len(exchange.attempts) == 1
    assert exchange.failed and exchange.attempts[0].status == status


def test_no_retry_after_2xx(scripted):
    """Rule: never retry after a 2xx, even one whose body is useless."""
    exchange = call(f"{scripted[1]}/text")
    assert len(exchange.attempts) == 1 and not exchange.failed


def test_redirects_are_not_followed(scripted):
    """Rule: Okta does not follow redirects; a 3xx is a failed call."""
    app, base = scripted
    before = app.calls["/respond/allow"]
    exchange = call(base + "/redirect")
    assert exchange.attempts[-1].error == "redirect"
    assert len(exchange.attempts) == 1
    assert app.calls["/respond/allow"] == before


def test_body_of_256kb_or_more_is_a_failure(scripted):
    """Rule: the hook's response must be smaller than 256 KB."""
    exchange = call(f"{scripted[1]}/big")
    assert exchange.attempts[-1].error == "too_large"
    assert len(exchange.attempts) == 1
    assert exchange.attempts[-1].bytes >= 256 * 1024


# A loopback port is bound and let go, so that nobody listens on it: no server, but not in-process either.
@pytest.mark.server
def test_connection_refused_is_retried_once():
    """Rule: a network error is retried once, then the call fails."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    exchange = call(f"http://127.0.0.1:{port}/registrationHook")
    assert [a.error for a in exchange.attempts] == ["connection", "connection"]


def test_shorter_deadline_setting(scripted):
    exchange = call(f"{scripted[1]}/hang", timeout=0.2, max_retries=0)
    assert exchange.attempts[0].error == "timeout"
    assert exchange.attempts[0].ms < 1000


def test_channel_reuses_connections_for_many_calls(scripted):
    async def many() -> list[bool]:
        async with HookChannel(ChannelConfig(f"{scripted[1]}/respond/allow")) as channel:
            results = await asyncio.gather(*(channel.send(build_request(seed=i)) for i in range(20)))
        return [not r.failed for r in results]

    assert all(run_sync(many()))


@pytest.mark.parametrize(
    ("uri", "strict", "problem"),
    [
        ("https://hooks.example.com/reg", False, None),
        ("http://127.0.0.1:8082/reg", False, None),
        ("http://localhost/reg", False, None),
        ("http://[::1]:9/reg", False, None),
        ("http://127.0.0.1:8082/reg", True, "strict HTTPS"),
        ("http://hooks.example.com/reg", False, "plain http"),
        ("ftp://hooks.example.com/reg", False, "absolute URL, https"),
        ("https://hooks.example.com/a b", False, "whitespace"),
        ("hooks.example.com/reg", False, "absolute URL, https"),
        ("https://x.example/" + "a" * 1100, False, "1024"),
    ],
)
def test_uri_policy(uri, strict, problem):
    """Rule: the channel URI must be https (Okta's Admin Console and API reject http), at most 1024 characters."""
    found = uri_problem(uri, strict_https=strict)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_reserved_headers_are_refused():
    """Rule: custom headers may not replace the ones Okta sets (Inline Hooks API)."""
    with pytest.raises(ConfigError, match="reserved"):
        ChannelConfig("https://x.example/h", headers=(("Content-Type", "text/plain"),))


@pytest.mark.parametrize("text", ["no colon", ": value", "Bad Name: v"])
def test_parse_header_rejects_malformed(text):
    with pytest.raises(ConfigError):
        parse_header(text)


def test_error_texts_are_redacted_of_the_secret():
    """Issue 9 #3: an HTTP library's error that quotes a header value must not carry the secret into the journal."""
    config = ChannelConfig("https://x.example/h", auth_scheme=AuthScheme("Authorization", "Basic s3cr3t"))
    assert config.redact("Invalid header value b'Basic s3cr3t'") == "Invalid header value b'<redacted>'"


def test_a_gzip_answer_is_decoded(scripted):
    """Okta's channel accepts compressed answers; what counts is the JSON inside."""
    run = MockOkta(f"{scripted[1]}/gzip/deny-with-field-error").fire()
    assert run.outcome == "DENY" and run.verdict.failure is None
    assert run.exchange.response_headers["content-encoding"] == "gzip"


def test_a_gzip_bomb_stops_at_256_kb_of_decoded_body(scripted):
    """Issue 9 #5: the cap counts decompressed bytes as they stream, so 64 KB that expand to 64 MB stop at 256 KB."""
    run = MockOkta(f"{scripted[1]}/gzip-bomb", retries=0).fire()
    assert run.verdict.failure == "too_large"
    assert run.exchange.attempts[0].bytes <= 256 * 1024 + 1
    assert len(run.exchange.body) < 256 * 1024


@pytest.fixture(scope="module")
def tls_hook(tmp_path_factory) -> Iterator[tuple[ScriptedHook, str, str]]:
    """The scripted hook over https with a certificate for 127.0.0.1 from a test CA: (app, URL, CA file)."""
    folder = tmp_path_factory.mktemp("tls")
    ca_key, key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(2))
    now = datetime.now(UTC)

    def certificate(subject: str, public: Any, issuer: str, signer: Any, *, ca: bool) -> x509.Certificate:
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(hours=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if not ca:
            names = [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
        return builder.sign(signer, hashes.SHA256())

    ca = certificate("mock-okta test CA", ca_key.public_key(), "mock-okta test CA", ca_key, ca=True)
    leaf = certificate("127.0.0.1", key.public_key(), "mock-okta test CA", ca_key, ca=False)
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / "cert.pem").write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    app = ScriptedHook()
    with ServerThread(app, tls=(str(folder / "cert.pem"), str(folder / "key.pem"))) as server:
        yield app, server.url, str(folder / "ca.pem")


def test_https_hook_with_a_trusted_certificate_is_called_over_one_connection(tls_hook, monkeypatch):
    """Okta calls hooks over HTTPS (CONCEPT): the channel speaks TLS, checks the certificate against the trusted
    roots, and keeps the connection for the next call."""
    app, base, ca = tls_hook
    trusting = ssl.create_default_context(cafile=ca)
    monkeypatch.setattr(channel_module, "_tls_context", lambda: trusting)

    async def twice() -> list:
        async with HookChannel(ChannelConfig(f"{base}/respond/allow", timeout=5)) as channel:
            return [await channel.send(build_request(seed=1)), await channel.send(build_request(seed=2))]

    exchanges = run_sync(twice())
    assert [e.failed for e in exchanges] == [False, False] and exchanges[1].status == 200
    assert app.calls["/respond/allow"] >= 2


def test_https_hook_with_an_untrusted_certificate_fails_to_connect(tls_hook):
    """A certificate no public root vouches for is refused, as Okta refuses it: a connection failure."""
    _, base, _ = tls_hook
    exchange = call(f"{base}/respond/allow", timeout=5)
    assert exchange.attempts[-1].error == Failure.CONNECTION
    assert "certificate" in exchange.attempts[-1].detail.lower() or "tls" in exchange.attempts[-1].detail.lower()


class SlowToConnect(WireTransport):
    """A transport whose own side is slow (a busy machine): connecting takes 1.2 s before anything is sent."""

    async def _connect(self, scheme: str, host: str, port: int) -> Any:
        await asyncio.sleep(1.2)
        return await super()._connect(scheme, host, port)


def test_the_deadline_rules_each_on_its_own_call(scripted):
    """Three deadline rules, each proved by its own call, the calls made at the same time: they only wait (on the
    hook, or on the slow transport's sleep), so together they take as long as the longest, 6 s, not 10.5 s.

    1. Okta waits 3 s for an inline hook, then retries once (default settings, not shortened).
    2. The 3 s budget is for the whole response; a byte every 500 ms must not keep the call alive.
    3. The deadline starts once the request is written (issue 9: a loaded machine's own delays cut hooks that
       answered in time). A hook answering in 0.3 s within a 1.5 s deadline passes, though the mock took 1.2 s more
       to connect; connecting has its own bound of the same length."""
    _, base = scripted

    async def slow_to_connect() -> Any:
        config = ChannelConfig(f"{base}/slow/300", timeout=1.5, max_retries=0)
        async with HookChannel(config, transport=SlowToConnect(ssl.create_default_context())) as channel:
            return await channel.send(build_request(seed=3))

    async def together() -> list[Any]:
        return await asyncio.gather(
            call_hook(ChannelConfig(f"{base}/hang", auth_scheme=AUTH), build_request(seed=7)),
            call_hook(ChannelConfig(f"{base}/trickle", auth_scheme=AUTH, max_retries=0), build_request(seed=7)),
            slow_to_connect(),
        )

    hanging, trickling, slow = run_sync(together())

    assert [a.error for a in hanging.attempts] == ["timeout", "timeout"], "rule 1: a hanging hook is retried once"
    for attempt in hanging.attempts:
        assert 2990 <= attempt.ms < 3300, f"rule 1: each attempt of a hanging hook lasts 3 s, not {attempt.ms} ms"

    [attempt] = trickling.attempts
    assert attempt.error == "timeout" and attempt.status == 200, f"rule 2: a trickling body times out: {attempt}"
    assert 2990 <= attempt.ms < 3300, f"rule 2: the 3 s cover reading the body, the call lasted {attempt.ms} ms"

    assert not slow.failed and slow.status == 200, f"rule 3: a hook answering in time passes: {slow.attempts}"
    assert 300 <= slow.attempts[0].ms < 1200, "rule 3: the attempt's time is the hook's, not the connect's"


RAW_ANSWERS = {
    "garbage status line": b"HTTX/9 what\r\n\r\n",
    "header without a colon": b"HTTP/1.1 200 OK\r\nContent-Length 2\r\n\r\n{}",
    "bad Content-Length": b"HTTP/1.1 200 OK\r\nContent-Length: two\r\n\r\n{}",
    "bad chunk size": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
    "endless chunk header": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + b"1" * 70_000,
    "closed mid-body": b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{}",
    # "¹²³" decode from latin-1 and are digits to `str.isdigit()`, not to `int()` (tests/org/test_non_ascii_digits.py)
    "superscript status code": b"HTTP/1.1 \xb9\xb2\xb3 OK\r\n\r\n",
    "superscript Content-Length": b"HTTP/1.1 200 OK\r\nContent-Length: \xb2\r\n\r\n{}",
}


@pytest.mark.parametrize("answer", list(RAW_ANSWERS), ids=list(RAW_ANSWERS))
def test_malformed_http_is_a_connection_failure_never_a_crash(answer):
    """Rule: an answer that is not valid HTTP/1.1 is a failed call (Okta's generic error), whatever is wrong."""

    async def scenario() -> Any:
        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(RAW_ANSWERS[answer])
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server, HookChannel(ChannelConfig(f"http://127.0.0.1:{port}/h", timeout=2, max_retries=0)) as ch:
            return await ch.send(build_request(seed=4))

    exchange = run_sync(scenario())
    assert exchange.attempts[-1].error == Failure.CONNECTION, exchange.attempts[-1]


def test_a_url_without_a_scheme_says_http_is_fine_on_loopback():
    """Issue: `127.0.0.1:8080/hook` got an "https://" message, though loopback http is accepted."""
    from mock_okta.hook.channel import uri_problem

    assert "https:// (or http:// on loopback)" in (uri_problem("127.0.0.1:8080/hook") or "")
