"""URL converters: numbers in paths are written with the ASCII digits 0-9 only.

werkzeug's ``int`` converter matches ``\\d+``, which for Python also means « １ » or « ١ »,
so ``/api/v1/partners/１`` used to be partner 1. This one replaces it for the whole
application, pages and API alike: any other digit makes the address unknown (404).
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter


class AsciiIntegerConverter(IntegerConverter):
    regex = r"[0-9]+"
    signed_regex = r"-?[0-9]+"
