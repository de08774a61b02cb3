"""A real HTTPS server on 127.0.0.1 for the webhooks' tests (docs/api.md §7): a throw-away
certificate authority (trustme) signs a certificate for `localhost`, and the deliveries trust
that authority through the documented `API_WEBHOOK_CA_BUNDLE` setting. Nothing of the client,
the resolver or the TLS layer is replaced: what a receiver gets here is what a real one gets."""

import http.server
import ssl
import threading
from dataclasses import dataclass, field
from pathlib import Path

import trustme

HOST = "localhost"
HANG = "hang"  # an answer that never comes: the receiver reads the event and keeps silent


@dataclass
class Received:
    url: str  # the address asked for, as the receiver saw it (path and query)
    body: bytes
    headers: dict
    server_name: str | None  # the TLS SNI the client sent

    # Read as the tuple (url, body, headers) by the tests.
    def __iter__(self):
        return iter((self.url, self.body, self.headers))

    def __getitem__(self, index):
        return (self.url, self.body, self.headers)[index]


@dataclass
class Receiver:
    """What the server received, in order; `answers` are the statuses it gives in turn (204
    once none is left; `HANG` to keep silent until the test ends)."""

    port: int = 0
    ca_file: str = ""
    calls: list[Received] = field(default_factory=list)
    answers: list = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str = "/evenements") -> str:
        return f"https://{HOST}:{self.port}{path}"

    # The list-like face the tests read.
    def __len__(self):
        return len(self.calls)

    def __getitem__(self, index):
        return self.calls[index]

    def __iter__(self):
        return iter(self.calls)

    def __eq__(self, other):
        return self.calls == other


def _handler(receiver: Receiver):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            receiver.calls.append(
                Received(
                    self.path, body, dict(self.headers), getattr(self.request, "server_name", None)
                )
            )
            answer = receiver.answers.pop(0) if receiver.answers else 204
            if answer == HANG:
                receiver.released.wait(30)
                return
            self.send_response(answer)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):  # quiet test output
            pass

    return Handler


def tls_context(tmp_path: Path) -> tuple[ssl.SSLContext, str]:
    """A server context with a fresh certificate for `localhost` (and 127.0.0.1, ::1), and the
    file of the authority that signed it."""
    authority = trustme.CA()
    certificate = authority.issue_cert(HOST, "127.0.0.1", "::1")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(context)

    def remember_name(sock, server_name, _context):
        sock.server_name = server_name

    context.sni_callback = remember_name
    ca_file = tmp_path / "webhooks-ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    return context, str(ca_file)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


def serve(tmp_path: Path, handler_class=None):
    """Start an HTTPS receiver on the address `localhost` resolves to first (the one a
    delivery dials); returns (receiver, stop)."""
    import socket

    family, _, _, _, address = socket.getaddrinfo(HOST, 0, proto=socket.IPPROTO_TCP)[0]
    context, ca_file = tls_context(tmp_path)
    receiver = Receiver(ca_file=ca_file)

    class Server(_Server):
        address_family = family

    server = Server((address[0], 0), handler_class or _handler(receiver))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop():
        receiver.released.set()
        server.shutdown()
        server.server_close()

    return receiver, stop
