"""The loopback servers (mock org, fixtures, `serve`) against slowloris (issue 9 #9): request headers have a
deadline, and a connection cap answers 503 instead of running out of file descriptors."""

from __future__ import annotations

import socket
import time

import httpx

from mock_okta.testing.scripted_hook import ScriptedHook
from mock_okta.testing.server_thread import ServerThread


def idle_connections(server: ServerThread, count: int, partial: bytes = b"") -> list[socket.socket]:
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        if partial:
            sock.sendall(partial)
        sockets.append(sock)
    return sockets


def closed_by_server(sock: socket.socket, within: float) -> bool:
    sock.settimeout(within)
    try:
        return sock.recv(1024) == b""
    except TimeoutError:
        return False
    finally:
        sock.close()


def test_connections_that_never_finish_their_headers_are_closed():
    with ServerThread(ScriptedHook(), header_timeout=0.3) as server:
        silent = idle_connections(server, 10)
        trickling = idle_connections(server, 10, partial=b"POST /respond/allow HTTP/1.1\r\nHost: x\r\n")
        time.sleep(0.6)
        assert all(closed_by_server(sock, 2) for sock in silent + trickling)
        assert httpx.post(f"{server.url}/respond/allow", json={}).status_code == 200


def test_beyond_the_connection_cap_requests_get_503_until_idle_ones_are_dropped():
    with ServerThread(ScriptedHook(), header_timeout=0.5, max_connections=3) as server:
        hogs = idle_connections(server, 3)
        time.sleep(0.1)
        assert httpx.post(f"{server.url}/respond/allow", json={}).status_code == 503
        time.sleep(0.8)  # the header deadline closes the idle connections
        assert httpx.post(f"{server.url}/respond/allow", json={}).status_code == 200
        for sock in hogs:
            sock.close()
