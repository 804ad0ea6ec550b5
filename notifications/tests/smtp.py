"""A small SMTP server on loopback for the outbox's tests: it keeps what it accepts, or hangs, or refuses,
or runs a callback once a message is accepted and before it answers (to kill the sender in the window)."""

import socketserver
import threading
from collections.abc import Callable


class _Handler(socketserver.StreamRequestHandler):
    timeout = 30

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())
        self.wfile.flush()

    def handle(self):
        server: ServeurSMTP = self.server.owner
        if server.mode == "muet":
            server.connexions += 1
            server.libere.wait(20)  # accepts the connection and never greets: a hung relay
            return
        self.reply("220 essai ESMTP")
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 essai")
            elif command.startswith("MAIL"):
                self.reply("250 ok")
            elif command.startswith("RCPT"):
                self.reply("550 5.1.1 boîte inconnue" if server.mode == "refus" else "250 ok")
            elif command == "DATA":
                self.reply("354 la suite")
                data = b""
                while not data.endswith(b"\r\n.\r\n"):
                    chunk = self.rfile.readline()
                    if not chunk:
                        return
                    data += chunk
                server.recus.append(data.decode(errors="replace"))
                if server.apres_acceptation:
                    server.apres_acceptation()
                self.reply("250 accepté")
            elif command == "RSET" or command.startswith("NOOP"):
                self.reply("250 ok")
            elif command == "QUIT":
                self.reply("221 au revoir")
                return
            else:
                self.reply("502 inconnu")


class ServeurSMTP:
    """mode: "accepte" (keeps every message), "muet" (never answers), "refus" (550 on every recipient)."""

    def __init__(self, mode: str = "accepte", apres_acceptation: Callable[[], None] | None = None):
        self.mode, self.apres_acceptation = mode, apres_acceptation
        self.recus: list[str] = []
        self.connexions = 0
        self.libere = threading.Event()
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.owner = self
        self.port = self._server.server_address[1]

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.libere.set()
        self._server.shutdown()
        self._server.server_close()

    def settings(self, timeout: int = 1) -> dict:
        """What override_settings needs to send through this server."""
        return {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": self.port, "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": False, "EMAIL_HOST_USER": "",
                "EMAIL_HOST_PASSWORD": "", "EMAIL_TIMEOUT": timeout}
