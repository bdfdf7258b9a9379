"""A text to copy into an SMS: GSM 03.38 characters only, at most two concatenated SMS."""

from __future__ import annotations

import unicodedata

# The GSM 03.38 basic character set (one septet each) and its extension (two septets each).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("^{}\\[~]|€")
TWO_SMS_SEPTETS = 306  # 2 × 153: two concatenated messages (the header takes 7 septets each)
_REPLACEMENTS = {
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "’": "'",
    "‘": "'",
    "–": "-",
    "—": "-",
    "…": "...",
    "œ": "oe",
    "Œ": "OE",
    "\u00a0": " ",
    "\u202f": " ",
    "°": "o",
}


def to_gsm(text: str) -> str:
    """The closest text in the GSM alphabet: « é » stays, « ê » becomes « e »."""
    out = []
    for ch in text:
        if ch in GSM_BASIC or ch in GSM_EXTENSION:
            out.append(ch)
        elif ch in _REPLACEMENTS:
            out.append(_REPLACEMENTS[ch])
        else:
            base = unicodedata.normalize("NFD", ch)[0]
            out.append(base if base in GSM_BASIC else "?")
    return "".join(out)


def septets(text: str) -> int:
    return sum(2 if ch in GSM_EXTENSION else 1 for ch in text)


def is_gsm(text: str) -> bool:
    return all(ch in GSM_BASIC or ch in GSM_EXTENSION for ch in text)


def sms_text(parts: list[str], optional: list[str], limit: int = TWO_SMS_SEPTETS) -> str:
    """``parts`` always kept (cut if they alone are too long), then as many of
    ``optional`` as fit, in order."""
    text = to_gsm(" ".join(p for p in parts if p))
    if septets(text) > limit:
        while septets(text) > limit - 3:
            text = text[:-1]
        return text.rstrip() + "..."
    for extra in optional:
        candidate = f"{text} {to_gsm(extra)}"
        if septets(candidate) <= limit:
            text = candidate
    return text
