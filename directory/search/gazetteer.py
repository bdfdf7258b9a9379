"""The communes a query can name: geodata's gazetteer, read with the search's words.

The search index keeps its own copy of the gazetteer's data (in its meta file, so that
every process reads the communes the documents were built with); the reading itself —
abbreviations, homonyms, postcodes, former names — is geodata's
(`geodata.geocoding.gazetteer.Gazetteer.find`). Commune names are read without the
search's stop words, as queries are (« Villefranche de Lauragais » = « villefranche
lauragais »).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from directory.search.analysis import stop_words
from geodata.geocoding.gazetteer import Gazetteer, Place
from geodata.geocoding.normalise import PLACE_ABBREVIATIONS, expand


def search_gazetteer(
    places: Iterable[Place] = (), former_names: Iterable[tuple[str, str]] = ()
) -> Gazetteer:
    """A gazetteer of ``places`` read as the search reads; ``former_names``: (old name,
    current INSEE code) pairs."""
    return Gazetteer(list(places), former_names, ignored_words=stop_words())


def gazetteer_from_json(data: Mapping[str, Any]) -> Gazetteer:
    return Gazetteer.from_json(data, ignored_words=stop_words())


def normalise_query_words(query_words: Sequence[str]) -> list[str]:
    """Query words with the place abbreviations spelled out (« st » → « saint »), as
    commune names are read; one that becomes a stop word (« ss » → « sous ») is dropped."""
    stops = stop_words()
    return [word for word in expand(list(query_words), PLACE_ABBREVIATIONS) if word not in stops]
