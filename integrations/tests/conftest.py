"""The integrations' fixtures: the ledger's small city, and a real HTTP receiver on 127.0.0.1."""
from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from quotas.tests.conftest import city_regions, document, ledger, make_document  # noqa: F401 -- fixtures


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Receiver:
    """A webhook receiver: records each POST (headers, body) and answers with the next of ``answers`` (then 200).
    ``start()`` / ``stop()`` bring it up and down on its port."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.requests: list[tuple[dict, bytes]] = []
        self.answers: list[int] = []
        self.server: ThreadingHTTPServer | None = None
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 -- http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.requests.append((dict(self.headers), body))
                    status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def events(self) -> list[dict]:
        with self.lock:
            return [json.loads(body) for _headers, body in self.requests]


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.stop()


@pytest.fixture
def finance_client(make_user):
    from accounts.roles import Role

    return make_user(Role.FINANCE_SYSTEM, username="finance")
