"""Partner documents for a page of search hits (the API's and the pages' alike)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from directory.search import SearchHit
from web.api.presenters import partner_document
from web.api.providers import partner_cards


def partner_documents(
    session: Session, hits: Sequence[SearchHit], at: datetime
) -> list[dict[str, Any]]:
    cards = partner_cards().cards(session, [hit.partner_id for hit in hits])
    return [
        partner_document(cards[hit.partner_id], at, hit.distance_m)
        for hit in hits
        if hit.partner_id in cards
    ]
