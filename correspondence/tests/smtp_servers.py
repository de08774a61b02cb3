"""Real mail servers on 127.0.0.1 for the tests of e-mail delivery (docs/correspondence.md
§1.2): an SMTP server (aiosmtpd, in a thread) that accepts or refuses, one that hangs, and
production's delivery settings (SMTP backend, the database queue, codes sealed) pointed at
them. Nothing in the delivery path is replaced: Django's SMTP backend talks to these servers
over TCP. The fixtures are in this folder's conftest."""

import asyncio
import email
import email.policy
import socket
import threading
import time
from dataclasses import dataclass

from aiosmtpd.controller import Controller

# Seconds the SMTP backend waits for the server (EMAIL_TIMEOUT, 10 in production): short, so
# that the tests of a hanging server take about a second.
TIMEOUT = 1.0


def free_port() -> int:
    """A TCP port of 127.0.0.1 where nothing listens (the mail server may start there later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    """One message as the mail server received it: the envelope and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])  # RFC 2047 decoded by the default policy

    @property
    def body(self) -> str:
        # The lines as the reader sees them (SMTP carries CRLF).
        return self.message.get_content().replace("\r\n", "\n")


class MailServer:
    """An SMTP server on 127.0.0.1:`port`, started and stopped at will (a server that is down,
    then back). It keeps what it accepts in `received`; it refuses (550) every recipient of
    `refused_domain`, and answers with `rcpt_reply` for the others when set. `hang` holds every
    DATA without answering until the server stops (a server that accepted the message and
    hangs)."""

    def __init__(self, port: int):
        self.port = port
        self.received: list[Received] = []
        self.refused_domain = "refused.example"
        self.rcpt_reply: str | None = None
        self.hang = False
        self._released = threading.Event()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._released.clear()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._released.set()  # a held DATA ends (and is not kept) before the loop stops
            self._controller.stop()
            self._controller = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@" + self.refused_domain):
            return "550 5.1.1 No such user"
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.hang:
            while not self._released.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Stopped"
        self.received.append(
            Received(
                envelope.mail_from,
                list(envelope.rcpt_tos),
                email.message_from_bytes(envelope.original_content, policy=email.policy.default),
            )
        )
        return "250 2.0.0 Queued"


class SilentServer:
    """A TCP server on 127.0.0.1:`port` that accepts connections and never says a word (no
    SMTP greeting). Connections are let go after 5 s, so that a missing timeout fails a test
    instead of hanging it."""

    def __init__(self, port: int):
        self.port = port
        self._server = socket.create_server(("127.0.0.1", port))
        self._server.settimeout(0.1)
        self._stop = threading.Event()
        self._held: list[tuple[float, socket.socket]] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._server.accept()
                self._held.append((time.monotonic(), connection))
            except TimeoutError:
                pass
            for since, held in list(self._held):
                if time.monotonic() - since > 5:
                    held.close()
                    self._held.remove((since, held))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        for _, connection in self._held:
            connection.close()
        self._server.close()


def point_delivery_at(settings, port: int) -> None:
    """Production's delivery (config/settings.py with DEBUG off) to 127.0.0.1:`port`: the
    SMTP backend with its timeout, the database queue of the worker, codes sealed at rest."""
    settings.OUTBOX_ENABLED = False
    settings.TASKS = {"default": {"BACKEND": "ops.tasks.TracedDatabaseBackend"}}
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": TIMEOUT},
        }
    }
