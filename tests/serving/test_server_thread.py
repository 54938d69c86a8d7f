"""The loopback servers (mock org, fixtures, `serve`) against slowloris (issue 9 #9): request headers have a
deadline, and a connection cap answers 503 instead of running out of file descriptors."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable

import httpx

from mock_okta.serving.thread import ServerThread
from mock_okta.testing.scripted_hook import ScriptedHook


def idle_connections(server: ServerThread, count: int, partial: bytes = b"") -> list[socket.socket]:
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        if partial:
            sock.sendall(partial)
        sockets.append(sock)
    return sockets


def closed_by_server(sock: socket.socket, within: float) -> bool:
    """Waits for the server to close the connection (recv answers b"" then), at most `within` seconds."""
    sock.settimeout(within)
    try:
        return sock.recv(1024) == b""
    except TimeoutError:
        return False
    finally:
        sock.close()


def eventually(condition: Callable[[], bool], within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def status(server: ServerThread) -> int:
    return httpx.post(f"{server.url}/respond/allow", json={}).status_code


def test_connections_that_never_finish_their_headers_are_closed():
    with ServerThread(ScriptedHook(), header_timeout=0.3) as server:
        silent = idle_connections(server, 10)
        trickling = idle_connections(server, 10, partial=b"POST /respond/allow HTTP/1.1\r\nHost: x\r\n")
        assert all(closed_by_server(sock, 2) for sock in silent + trickling)
        assert status(server) == 200


def test_beyond_the_connection_cap_requests_get_503_until_idle_ones_are_dropped():
    with ServerThread(ScriptedHook(), header_timeout=0.5, max_connections=3) as server:
        hogs = idle_connections(server, 3)
        assert eventually(lambda: status(server) == 503), "three idle connections fill a cap of three"
        assert eventually(lambda: status(server) == 200), "the header deadline frees the idle connections"
        for sock in hogs:
            sock.close()
