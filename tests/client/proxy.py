"""A tiny HTTP proxy in front of the live server, to lose answers and alter them on purpose.

One request per connection (the client sends ``Connection: close``): the proxy reads the
request whole, forwards it, reads the answer whole and relays it, unless the test asked to
drop the answer of that request (the server did the work; the client never hears of it) or
to rewrite it. It counts the body bytes of every chunk it forwarded, which is what reached the
server.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Proxy:
    target: tuple[str, int]
    #: Called with (method, path) of each request; True drops the answer (after forwarding).
    drop: Callable[[str, str], bool] = lambda _method, _path: False
    #: Called with (method, path, answer bytes); returns the answer to relay.
    rewrite: Callable[[str, str, bytes], bytes] = lambda _method, _path, answer: answer
    forwarded: list[tuple[str, str, int]] = field(default_factory=list)

    def chunk_bytes(self) -> int:
        """Body bytes of the chunks (PUT) that reached the server."""
        return sum(length for method, _path, length in self.forwarded if method == "PUT")

    @contextmanager
    def serve(self) -> Iterator[str]:
        listener = socket.create_server(("127.0.0.1", 0))
        listener.settimeout(0.1)
        stop = threading.Event()

        def accept() -> None:
            while not stop.is_set():
                try:
                    connection, _address = listener.accept()
                except TimeoutError:
                    continue
                threading.Thread(target=self._handle, args=(connection,), daemon=True).start()

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{listener.getsockname()[1]}"
        finally:
            stop.set()
            thread.join()
            listener.close()

    def _handle(self, client: socket.socket) -> None:
        with client:
            request = _read_request(client)
            if request is None:
                return
            head = request.split(b"\r\n", 1)[0].decode()
            method, path, _version = head.split(" ", 2)
            body_length = len(request) - request.index(b"\r\n\r\n") - 4
            with socket.create_connection(self.target) as server:
                server.sendall(request)
                answer = _read_all(server)
            self.forwarded.append((method, path, body_length))
            if self.drop(method, path):
                return
            client.sendall(self.rewrite(method, path, answer))


def _read_request(connection: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        piece = connection.recv(65536)
        if not piece:
            return None
        data += piece
    head, _sep, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _colon, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        piece = connection.recv(65536)
        if not piece:
            break
        body += piece
    return head + b"\r\n\r\n" + body


def _read_all(connection: socket.socket) -> bytes:
    chunks = []
    while piece := connection.recv(65536):
        chunks.append(piece)
    return b"".join(chunks)
