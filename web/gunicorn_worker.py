"""The gunicorn worker of Aiguillage (``gunicorn.conf.py`` names it).

* **Threads** (gunicorn's ``gthread`` worker): a client that sends its request slowly
  (« slowloris ») holds one thread, not a whole process. With the 2 sync workers of old, two
  slow clients made the service unreachable; with threads it takes ``workers × threads`` of
  them, and gthread waits for the first bytes of a connection without holding a thread at
  all. A public deployment still puts a buffering reverse proxy in front (nginx reads whole
  requests with its own timeouts before passing them on): docs/SECURITY.md.
* **French errors**: a request that gunicorn refuses before the application sees it (request
  line too long: 414, too many or too large headers: 431, malformed: 400) is answered with a
  short French page instead of gunicorn's English one. No detail of the refused request is
  echoed back.
"""

from __future__ import annotations

import socket
from html import escape

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker

FRENCH_ERRORS: dict[int, tuple[str, str]] = {
    400: ("Requête invalide", "La requête est mal formée : le serveur ne peut pas la lire."),
    403: ("Accès refusé", "Cette requête n'est pas autorisée."),
    414: (
        "Adresse trop longue",
        "L'adresse demandée est trop longue. Raccourcissez votre recherche et réessayez.",
    ),
    417: ("Attente impossible", "Le serveur ne peut pas satisfaire l'en-tête « Expect »."),
    431: (
        "En-têtes trop volumineux",
        "La requête porte trop d'en-têtes, ou des en-têtes trop longs (souvent des cookies "
        "trop nombreux) : effacez les cookies de ce site et réessayez.",
    ),
    500: ("Erreur interne", "Une erreur inattendue s'est produite. Réessayez plus tard."),
    501: ("Non pris en charge", "Le serveur ne prend pas en charge cette requête."),
}
FALLBACK = ("Erreur", "La requête n'a pas pu être traitée.")


def french_error(status: int, reason: str) -> bytes:
    """The whole HTTP answer (head and body) for ``status`` raised by gunicorn itself."""
    title, detail = FRENCH_ERRORS.get(status, FALLBACK)
    body = (
        '<!doctype html>\n<html lang="fr">\n<head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head>\n"
        f"<body>\n<h1>{escape(title)}</h1>\n<p>{escape(detail)}</p>\n"
        '<p><a href="/">Revenir à l\'accueil</a></p>\n</body>\n</html>\n'
    ).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: text/html; charset=utf-8\r\n"
        "Content-Language: fr\r\n"
        "Content-Security-Policy: default-src 'none'\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        "Cache-Control: no-store\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("latin-1") + body


def write_french_error(sock: socket.socket, status_int: int, reason: str, _mesg: str) -> None:
    """Stands for `gunicorn.util.write_error` (same signature; its English message is
    dropped: it echoes parts of the refused request)."""
    util.write_nonblock(sock, french_error(status_int, reason))


class FrenchThreadWorker(ThreadWorker):  # type: ignore[misc]  # gunicorn has no type hints
    """gunicorn's gthread worker whose own error answers are French."""

    def init_process(self) -> None:
        # `gunicorn.workers.base.Worker.handle_error` calls ``util.write_error``: in this
        # worker process, that is the French one.
        util.write_error = write_french_error
        super().init_process()
