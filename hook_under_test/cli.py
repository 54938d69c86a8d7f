"""`hook-under-test`: serve the sample hook."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mock_okta.serving.guarded_http import DEFAULT_HEADER_TIMEOUT
from mock_okta.serving.server import listening_socket, serve_forever

from .app import create_app
from .settings import HookSettings, SettingsError


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="hook-under-test", description="The guides' registration and token inline hooks."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    parser.add_argument("--port", type=int, default=8082, help="port (default: 8082, as in Okta's guide)")
    parser.add_argument(
        "--auth-header",
        help="'Name: secret' the hook requires (env HOOK_AUTH_HEADER; default the guide's Basic admin:supersecret)",
    )
    parser.add_argument(
        "--allowed-domain",
        action="append",
        dest="allowed_domains",
        help="email domain allowed to register; repeatable (env HOOK_ALLOWED_DOMAINS; default example.com)",
    )
    parser.add_argument("--record", metavar="DIR", help="keep every request received in DIR (for mock-okta drift)")
    parser.add_argument(
        "--oauth-issuer",
        help="accept OAuth 2.0 Bearer tokens of this authorization server instead of the auth header, e.g. "
        "https://dev-123.okta.com/oauth2/default (env HOOK_OAUTH_ISSUER)",
    )
    parser.add_argument(
        "--oauth-audience", help="the tokens' audience (env HOOK_OAUTH_AUDIENCE; default api://default)"
    )
    parser.add_argument("--oauth-scope", help="a scope the tokens must carry (env HOOK_OAUTH_SCOPE)")
    parser.add_argument(
        "--header-timeout", type=float, default=DEFAULT_HEADER_TIMEOUT, help="seconds a client has to send its headers"
    )
    args = parser.parse_args(argv)
    try:
        settings = HookSettings.build(
            args.auth_header,
            args.allowed_domains,
            args.record,
            oauth_issuer=args.oauth_issuer,
            oauth_audience=args.oauth_audience,
            oauth_scope=args.oauth_scope,
        )
        if args.record:
            Path(args.record).mkdir(parents=True, exist_ok=True)
    except SettingsError as exc:
        parser.exit(2, f"hook-under-test: {exc}\n")
    except OSError as exc:
        parser.exit(2, f"hook-under-test: cannot use --record {args.record}: {exc.strerror or exc}\n")
    print(
        f"Token hook (the guide's patients) on http://{args.host}:{args.port}/tokenHook; "
        f"registration hook on http://{args.host}:{args.port}/registrationHook "
        f"(allowed: {', '.join(settings.allowed_domains)}; "
        + (
            f"OAuth 2.0 tokens of {settings.oauth_issuer})"
            if settings.oauth_issuer
            else f"auth header: {settings.auth_header_name})"
        ),
        file=sys.stderr,
    )
    if not args.header_timeout > 0:
        parser.exit(2, "hook-under-test: --header-timeout must be a positive number of seconds\n")
    try:
        sock = listening_socket(args.host, args.port)
    except OSError as exc:
        parser.exit(2, f"hook-under-test: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}\n")
    try:
        serve_forever(create_app(settings), sock, header_timeout=args.header_timeout)
    except KeyboardInterrupt:
        pass  # Ctrl-C is how this server is meant to end: no traceback
    finally:
        sock.close()


if __name__ == "__main__":
    main()
