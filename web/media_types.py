"""Media types of the API's answers, with their charset.

JSON is always UTF-8 (RFC 8259), but HTTP clients assume so only for ``application/json``:
``requests``, for one, guesses the encoding of any other type from a sample of the bytes,
and a wrong guess garbles the accents or the whole document. The other JSON-based types and
the text types therefore say ``charset=utf-8``.
"""

from __future__ import annotations

GEOJSON = "application/geo+json; charset=utf-8"
PROBLEM_JSON = "application/problem+json; charset=utf-8"
CSV = "text/csv; charset=utf-8"
JSON = "application/json"
