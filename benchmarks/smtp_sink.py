"""An SMTP server on loopback that counts what the outbox really delivers, for the load test of the demandes:
each message accepted gives one (recipient, demande reference) pair per recipient, so that an email sent
twice shows as a pair received twice. Standard library only; it keeps no message."""

import email
import email.policy
import re
import socketserver
import threading
from collections import Counter

REFERENCE = re.compile(r"\bDI-[0-9A-F]{8}\b")


def references(raw: bytes) -> set[str]:
    """The demande references a message names, in its decoded subject or body."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    body = message.get_body(preferencelist=("plain", "html"))
    text = f"{message.get('subject', '')}\n{body.get_content() if body is not None else ''}"
    return set(REFERENCE.findall(text))


class _Handler(socketserver.StreamRequestHandler):
    timeout = 60

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())
        self.wfile.flush()

    def handle(self):
        sink: SmtpSink = self.server.sink
        recipients: list[str] = []
        self.reply("220 benchmark ESMTP")
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip()
            verb = command.upper()
            if verb.startswith(("EHLO", "HELO")):
                self.reply("250 benchmark")
            elif verb.startswith("MAIL"):
                recipients = []
                self.reply("250 ok")
            elif verb.startswith("RCPT"):
                recipients.append(command.partition(":")[2].strip().strip("<>").lower())
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go on")
                sink.accept(recipients, self._data())
                self.reply("250 accepted")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # RSET, NOOP
                self.reply("250 ok")

    def _data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) and line != b".\r\n":
            lines.append(line[1:] if line.startswith(b"..") else line)  # dot-stuffing
        return b"".join(lines)


class SmtpSink:
    """`with SmtpSink(port) as sink:` then sink.pairs: Counter of (recipient, reference) received."""

    def __init__(self, port: int = 0):
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", port), _Handler, bind_and_activate=False)
        self._server.allow_reuse_address = True
        self._server.daemon_threads = True
        self._server.sink = self
        self._lock = threading.Lock()
        self.pairs: Counter = Counter()
        self.messages = 0

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def accept(self, recipients: list[str], raw: bytes) -> None:
        found = references(raw)
        with self._lock:
            self.messages += 1
            self.pairs.update((recipient, reference) for recipient in recipients for reference in found)

    def __enter__(self):
        self._server.server_bind()
        self._server.server_activate()
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
