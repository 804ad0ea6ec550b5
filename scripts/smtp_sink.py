"""A local SMTP sink for `make prod` (scripts/prod.sh): it keeps every message it accepts as a file, and
behaves as the file MODE says, read at each connection, so that `make prod-check` can break it:

  accepte  — normal relay
  muet     — accepts the connection and never answers (a hung relay)
  refus    — answers 550 to every recipient (a relay that refuses)
  lent     — keeps the message, then waits 8 s before saying 250 (a worker killed in that wait is the
             window where an email is sent twice: README, "Mail")

Standard library only: python3 scripts/smtp_sink.py --port 2526 --dossier var/prod/courriels
"""

import argparse
import socketserver
import time
from pathlib import Path


class Handler(socketserver.StreamRequestHandler):
    timeout = 60

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())
        self.wfile.flush()

    def handle(self):
        mode = self.server.mode()
        if mode == "muet":
            time.sleep(300)
            return
        self.reply("220 monenfant-sink ESMTP")
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 monenfant-sink")
            elif command.startswith(("MAIL", "RSET", "NOOP")):
                self.reply("250 ok")
            elif command.startswith("RCPT"):
                self.reply("550 5.1.1 destinataire refuse" if mode == "refus" else "250 ok")
            elif command == "DATA":
                self.reply("354 la suite")
                data = bytearray()
                while not data.endswith(b"\r\n.\r\n"):
                    chunk = self.rfile.readline()
                    if not chunk:
                        return
                    data += chunk
                self.server.keep(bytes(data))
                if mode == "lent":
                    time.sleep(8)
                self.reply("250 ok")
            elif command == "QUIT":
                self.reply("221 au revoir")
                return
            else:
                self.reply("502 commande inconnue")


class Sink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, dossier: Path):
        self.dossier = dossier
        self.dossier.mkdir(parents=True, exist_ok=True)
        self.fichier_mode = dossier / "MODE"
        super().__init__(("127.0.0.1", port), Handler)

    def mode(self) -> str:
        try:
            return self.fichier_mode.read_text().strip() or "accepte"
        except FileNotFoundError:
            return "accepte"

    def keep(self, data: bytes) -> None:
        name = f"{time.time_ns()}.eml"
        (self.dossier / f".{name}").write_bytes(data)
        (self.dossier / f".{name}").rename(self.dossier / name)  # whole files only


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=2526)
    parser.add_argument("--dossier", type=Path, required=True)
    args = parser.parse_args()
    with Sink(args.port, args.dossier) as sink:
        sink.serve_forever()


if __name__ == "__main__":
    main()
