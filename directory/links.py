"""Official places on the web: a labelled https address and the check every stored one passes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class OnlineProcedure:
    """An official place to act online: a right's procedure or a deciding body's website."""

    label: str
    url: str


def is_https_url(url: str) -> bool:
    """True for an absolute ``https://host/…`` address without spaces."""
    parts = urlsplit(url)
    return parts.scheme == "https" and bool(parts.netloc) and not re.search(r"\s", url)
