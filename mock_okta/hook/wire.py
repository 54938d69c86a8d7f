"""A lean HTTP/1.1 client transport for the channel: what Okta needs of HTTP to call a hook (one POST, a
keep-alive connection per host, a body by Content-Length, chunks or to the end) and nothing more, without the
layers of a general client. It is an httpx transport, so the channel's code (deadline, 256 KB cap, redirect and
retry rules) is the same whichever transport carries the call; malformed answers raise httpx's own errors.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Callable

import httpx

MAX_HEADER_BYTES = 64 * 1024
Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class WireTransport(httpx.AsyncBaseTransport):
    def __init__(self, tls: ssl.SSLContext, max_idle: int = 64, max_connections: int = 256) -> None:
        self._tls = tls
        self._max_idle = max_idle
        self._idle: dict[tuple[str, str, int], list[Connection]] = {}
        # Calls beyond this many at once wait for a connection (file descriptors are finite; `serve` accepts 512).
        self._slots = asyncio.Semaphore(max_connections)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await self._slots.acquire()
        try:
            response = await self._exchange(request)
        except BaseException:
            self._slots.release()
            raise
        assert isinstance(response.stream, _Body)
        response.stream.on_close = self._slots.release
        return response

    async def _exchange(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        port = url.port or (443 if url.scheme == "https" else 80)
        key = (url.scheme, url.host, port)
        reused = bool(self._idle.get(key))
        connection = self._idle[key].pop() if reused else await self._connect(url.scheme, url.host, port)
        reader, writer = connection
        head = [f"POST {url.raw_path.decode('ascii')} HTTP/1.1", f"Host: {url.netloc.decode('ascii')}"]
        head += [f"{name}: {value}" for name, value in request.headers.items() if name.lower() != "host"]
        body = request.content
        try:
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
            await writer.drain()
            on_sent = request.extensions.get("sent")
            if on_sent is not None:
                on_sent()
            status, headers, close = await _read_head(reader)
        except (ConnectionError, asyncio.IncompleteReadError) as exc:
            writer.close()
            if reused:  # the hook closed an idle keep-alive connection: once more on a new one
                return await self._exchange(request)
            raise httpx.ReadError(f"{type(exc).__name__}: the hook closed the connection") from None
        except BaseException:
            writer.close()
            raise
        stream = _Body(self, key, connection, status, headers, close)
        return httpx.Response(status, headers=headers, stream=stream, extensions={"http_version": b"HTTP/1.1"})

    async def _connect(self, scheme: str, host: str, port: int) -> Connection:
        try:
            if scheme == "https":
                return await asyncio.open_connection(host, port, ssl=self._tls, server_hostname=host)
            return await asyncio.open_connection(host, port)
        except ssl.SSLError as exc:
            raise httpx.ConnectError(f"TLS: {exc.reason or exc}") from None
        except OSError as exc:
            raise httpx.ConnectError(f"{type(exc).__name__}: {exc.strerror or exc}") from None

    def release(self, key: tuple[str, str, int], connection: Connection) -> None:
        idle = self._idle.setdefault(key, [])
        if len(idle) < self._max_idle and not connection[1].is_closing():
            idle.append(connection)
        else:
            connection[1].close()

    async def aclose(self) -> None:
        for connections in self._idle.values():
            for _, writer in connections:
                writer.close()
        self._idle.clear()


async def _read_head(reader: asyncio.StreamReader) -> tuple[int, list[tuple[str, str]], bool]:
    try:
        raw = await reader.readuntil(b"\r\n\r\n")
    except asyncio.LimitOverrunError:
        raise httpx.RemoteProtocolError("the response head is too long") from None
    if len(raw) > MAX_HEADER_BYTES:
        raise httpx.RemoteProtocolError("the response head is too long")
    lines = raw.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    code = parts[1] if len(parts) > 1 else ""
    # "¹²³" decodes from latin-1 and is digits to Python, not to int().
    if not parts[0].startswith("HTTP/1.") or not (code.isascii() and code.isdigit()) or len(code) != 3:
        raise httpx.RemoteProtocolError(f"not an HTTP/1.x status line: {lines[0][:60]!r}")
    status = int(parts[1])
    if 100 <= status < 200:  # an interim answer (e.g. 102): the real one follows
        return await _read_head(reader)
    headers = []
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep or not name or name != name.strip():
            raise httpx.RemoteProtocolError(f"malformed header line {line[:60]!r}")
        headers.append((name, value.strip()))
    connection = ",".join(v.lower() for n, v in headers if n.lower() == "connection")
    close = "close" in connection or (parts[0] == "HTTP/1.0" and "keep-alive" not in connection)
    return status, headers, close


class _Body(httpx.AsyncByteStream):
    def __init__(
        self,
        transport: WireTransport,
        key: tuple[str, str, int],
        connection: Connection,
        status: int,
        headers: list[tuple[str, str]],
        close: bool,
    ) -> None:
        self._transport, self._key, self._connection = transport, key, connection
        self._status, self._close = status, close
        self._length: int | None = None
        self._chunked = False
        for name, value in headers:
            lower = name.lower()
            if lower == "transfer-encoding" and "chunked" in value.lower():
                self._chunked = True
            elif lower == "content-length":
                if not (value.isascii() and value.isdigit()):
                    raise httpx.RemoteProtocolError(f"bad Content-Length {value[:20]!r}")
                self._length = int(value)
        self._complete = False
        self.on_close: Callable[[], None] | None = None

    async def __aiter__(self) -> AsyncIterator[bytes]:
        reader = self._connection[0]
        try:
            if self._status in (204, 304):
                pass
            elif self._chunked:
                async for piece in _chunks(reader):
                    yield piece
            elif self._length is not None:
                async for piece in _exactly(reader, self._length):
                    yield piece
            else:  # no length: the body runs to the end of the connection
                self._close = True
                while piece := await reader.read(65536):
                    yield piece
            self._complete = True
        except (ConnectionError, asyncio.IncompleteReadError):
            raise httpx.ReadError("the hook closed the connection mid-body") from None
        except asyncio.LimitOverrunError:
            raise httpx.RemoteProtocolError("a chunk header line is too long") from None

    async def aclose(self) -> None:
        if self._complete and not self._close:
            self._transport.release(self._key, self._connection)
        else:  # cut short (deadline, size cap) or closing: the connection cannot carry another request
            self._connection[1].close()
        if self.on_close is not None:
            self.on_close()
            self.on_close = None


async def _chunks(reader: asyncio.StreamReader) -> AsyncIterator[bytes]:
    while True:
        line = await reader.readuntil(b"\r\n")
        size_text = line.split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise httpx.RemoteProtocolError(f"bad chunk size {size_text[:20]!r}") from None
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers
                pass
            return
        async for piece in _exactly(reader, size):
            yield piece
        if await reader.readexactly(2) != b"\r\n":
            raise httpx.RemoteProtocolError("a chunk does not end with CRLF")


async def _exactly(reader: asyncio.StreamReader, size: int) -> AsyncIterator[bytes]:
    """`size` bytes in pieces as they arrive; a connection closed before them is a protocol error."""
    left = size
    while left:
        piece = await reader.read(min(left, 65536))
        if not piece:
            raise httpx.RemoteProtocolError("the hook closed the connection mid-body")
        left -= len(piece)
        yield piece
