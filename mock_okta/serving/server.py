"""uvicorn as every mock-okta server runs it: the guarded protocol and the connection cap, no access log, no
lifespan, on a socket bound before serving (port 0 picks a free port, and the real one is known before the first
request)."""

from __future__ import annotations

import socket
from typing import Any

import uvicorn

from .guarded_http import DEFAULT_HEADER_TIMEOUT, DEFAULT_MAX_CONNECTIONS, with_header_timeout


def listening_socket(host: str, port: int = 0) -> socket.socket:
    """A TCP socket bound to `host` (IPv6 when it holds a colon) and `port`; raises OSError when it cannot."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def uvicorn_server(
    app: Any,
    *,
    header_timeout: float = DEFAULT_HEADER_TIMEOUT,
    max_connections: int = DEFAULT_MAX_CONNECTIONS,
    tls: tuple[str, str] | None = None,
    graceful_shutdown: int | None = None,
) -> uvicorn.Server:
    """`tls`: (certificate file, key file) to serve https; `graceful_shutdown`: seconds open requests get when the
    server stops (None: as long as they take)."""
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=graceful_shutdown,
        http=with_header_timeout(header_timeout),
        limit_concurrency=max_connections,
        ssl_certfile=tls[0] if tls else None,
        ssl_keyfile=tls[1] if tls else None,
    )
    return uvicorn.Server(config)


def serve_forever(
    app: Any,
    sock: socket.socket,
    *,
    header_timeout: float = DEFAULT_HEADER_TIMEOUT,
    max_connections: int = DEFAULT_MAX_CONNECTIONS,
) -> None:
    """Serve `app` on `sock` in the foreground until a signal stops it (uvicorn then re-raises SIGINT as
    KeyboardInterrupt, for the caller to end as it prefers)."""
    uvicorn_server(app, header_timeout=header_timeout, max_connections=max_connections).run(sockets=[sock])
