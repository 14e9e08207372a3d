"""A TCP proxy on 127.0.0.1 in front of PostgreSQL that a test can make sick.

- ``pause()``: connections hang. New ones are accepted but nothing is forwarded; bytes already
  on their way wait, in both directions, and flow again on ``resume()`` (as after a network
  partition heals, so a statement sent during the pause can still arrive late).
- ``close()``: connections are refused. The port stops listening and every open connection is
  dropped; ``reopen()`` listens on the same port again.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
from collections.abc import Iterator

POLL_S = 0.05


class PausableProxy:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.flowing = threading.Event()
        self.flowing.set()
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self.port = 0
        self.reopen()

    # --- what a test does ------------------------------------------------------------------

    def pause(self) -> None:
        self.flowing.clear()

    def resume(self) -> None:
        self.flowing.set()

    def close(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:  # shutdown wakes the thread blocked in accept (Linux)
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            dropped, self._sockets = self._sockets, set()
        for sock in dropped:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def reopen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    # --- the plumbing ------------------------------------------------------------------------

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._connect, args=(client,), daemon=True).start()

    def _connect(self, client: socket.socket) -> None:
        self._track(client)
        self._wait_for_flow(client)  # paused: accepted, never answered
        try:
            server = socket.create_connection(self.upstream)
        except OSError:
            client.close()
            return
        self._track(server)
        for source, target in ((client, server), (server, client)):
            threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.add(sock)

    def _wait_for_flow(self, sock: socket.socket) -> None:
        while not self.flowing.wait(POLL_S):
            if sock.fileno() < 0:
                return

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while True:
                self._wait_for_flow(source)
                readable, _, _ = select.select([source], [], [], POLL_S)
                if not readable:
                    continue
                if not self.flowing.is_set():
                    continue  # paused between the poll and the read: hold the bytes
                data = source.recv(65536)
                if not data:
                    break
                target.sendall(data)
        except (OSError, ValueError):
            pass
        for sock in (source, target):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def shutdown(self) -> None:
        self.resume()
        self.close()


@contextlib.contextmanager
def proxy_running(host: str, port: int) -> Iterator[PausableProxy]:
    proxy = PausableProxy((host, port))
    try:
        yield proxy
    finally:
        proxy.shutdown()
