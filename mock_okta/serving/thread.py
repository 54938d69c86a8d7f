"""Run an ASGI app on a real loopback socket in a background thread (port 0 by default, so parallel runs never
collide), ready when `start()` returns."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType
from typing import Any

import uvicorn

from .guarded_http import DEFAULT_HEADER_TIMEOUT, DEFAULT_MAX_CONNECTIONS
from .server import listening_socket, uvicorn_server


class ServerThread:
    def __init__(
        self,
        app: Any,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        startup_timeout: float = 10.0,
        header_timeout: float = DEFAULT_HEADER_TIMEOUT,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        tls: tuple[str, str] | None = None,
    ) -> None:
        """`tls`: (certificate file, key file) to serve https."""
        self.app = app
        self.tls = tls
        self.header_timeout = header_timeout
        self.max_connections = max_connections
        self.host = host
        self._requested_port = port
        self._startup_timeout = startup_timeout
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = port

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    def start(self) -> ServerThread:
        sock = listening_socket(self.host, self._requested_port)
        self.port = sock.getsockname()[1]
        self._socket = sock
        self._server = uvicorn_server(
            self.app,
            header_timeout=self.header_timeout,
            max_connections=self.max_connections,
            tls=self.tls,
            # Hooks that hang must not hold a test run hostage at shutdown.
            graceful_shutdown=1,
        )
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name=f"asgi:{self.port}", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + self._startup_timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"server on {self.url} did not start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=5)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
