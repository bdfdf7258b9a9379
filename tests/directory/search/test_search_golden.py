"""Golden relevance set: real queries on the real bundled data, with the answers a
professional of the territory would expect. Each expectation was checked against the data
(names and positions from ANCT France services 2024-08-01 and the DILA town halls):

* the France services of the CU d'Arras are « Pimms Médiation Arras » and « Arras
  Marie-Thérèse Lenoir » in Arras, then Dainville and Beaurains (3 km away);
* there is no France services in Saint-Gaudens nor in Villefranche-de-Lauragais: the nearest
  ones must come first (Sarp, Aurignac, Mane…; Nailloux, in the same intercommunality);
* town halls only inform about the CCAS aids and domiciliation (data/offers/kind_offers.toml).

The set was written on the France services (2024) and town halls (2026): the older sources
imported since (the DILA Annuaire of 2017, the conseillers numériques of 2022) are left out
of it with ``verified_since``, as the public search leaves out information older than
theirs. ``OLD_SOURCES_GOLDEN`` checks, with every source, that the old offices come first
where they are what the person names (a Pôle emploi, a CAF).

Runs on both backends: the index is built from each database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from directory.search import (
    SearchFilters,
    SearchPage,
    SearchRequest,
    WhooshSearchIndex,
    search_partners,
)

SINCE_FRANCE_SERVICES = SearchFilters(verified_since=date(2024, 8, 1))


@dataclass(frozen=True)
class Golden:
    query: str
    first: tuple[str, ...] = ()  # the first hits, in this order
    among: tuple[str, ...] = ()  # all present within the first ``within`` hits
    within: int = 5
    right: str | None = None  # the first ``within`` hits all offer this right
    place: str | None = None  # the commune read in the text
    preferred: tuple[str, ...] = ()  # départements of the territory served


ARRAS_LENOIR = "France services d'Arras - Marie-Thérèse Lenoir"
ARRAS_PIMMS = "France services Pimms Médiation Arras"
DAINVILLE = "France services de Dainville"
BEAURAINS = "France services de Beaurains"
CADOURS = "France services La Poste de Cadours"
LENS_PIMMS = "France services Pimms Médiation de Lens"
LENS_BUS = "Bus France services Pimms Médiation Lens"
TERRITORY = ("62", "31")
TOULOUSE_FS = (
    "France services de Toulouse-Les Minimes",
    "France services Toulouse-Pradettes",
    "France services La Poste du Mirail",
)

GOLDEN = [
    Golden("france services arras", first=(ARRAS_LENOIR, ARRAS_PIMMS),
           among=(DAINVILLE, BEAURAINS), within=4, place="Arras (62)"),
    Golden("France Services ARRAS", first=(ARRAS_LENOIR, ARRAS_PIMMS)),
    Golden("prime d'activiter arras", first=(ARRAS_LENOIR, ARRAS_PIMMS),
           among=(DAINVILLE, BEAURAINS), within=4, right="prime-activite"),
    Golden("rsa 62000", first=(ARRAS_LENOIR, ARRAS_PIMMS), right="rsa", place="Arras (62)"),
    Golden("pension alimentaire impayee arras", first=(ARRAS_LENOIR, ARRAS_PIMMS), right="asf"),
    Golden("mairie de muret", first=("Mairie de Muret",), place="Muret (31)"),
    Golden("mairie de murret", first=("Mairie de Muret",), place="Muret (31)"),
    Golden("mairie 31600", first=("Mairie de Muret",)),
    Golden("sdf muret", first=("Mairie de Muret",), right="domiciliation", within=3),
    Golden("aide dossier rsa saint-gaudens", right="rsa", place="Saint-Gaudens (31)",
           among=("France services Sarp", "France services La Poste d'Aurignac",
                  "France services de Mane - CC Cagire Garonne Salat")),
    Golden("rsa st gaudens", right="rsa", place="Saint-Gaudens (31)",
           among=("France services Sarp", "France services La Poste d'Aurignac")),
    Golden("mairie de saint-gaudens", first=("Mairie de Saint-Gaudens",)),
    Golden("complementaire sante solidaire cadours", first=(CADOURS,), right="c2s", within=3),
    Golden("css cadours", first=(CADOURS,), right="c2s", within=3),
    Golden("cmu-c cadours", first=(CADOURS,), right="c2s", within=3),
    Golden("france services la poste cadours", first=(CADOURS,)),
    Golden("secours d'urgence cadours", first=("Mairie de Cadours",), right="aide-sociale-ccas"),
    Golden("chomage villefranche de lauragais",
           first=("France services Nailloux - CC Terres du Lauragais",), right="are",
           place="Villefranche-de-Lauragais (31)"),
    Golden("allocation chomage castanet-tolosan", first=("France services de Castanet-Tolosan",),
           right="are"),
    Golden("france services saint-orens", first=("France services de Saint-Orens",)),
    Golden("mairie castanet", first=("Mairie de Castanet-Tolosan",)),
    Golden("mairie toulouse", first=("Mairie de Toulouse",), place="Toulouse (31)"),
    Golden("rsa toulousse", among=TOULOUSE_FS, within=3, right="rsa", place="Toulouse (31)"),
    Golden("aides au logement toulouse mirail", first=("France services La Poste du Mirail",)),
    Golden("france services portet-sur-garonne", first=("France services de Portet-sur-Garonne",)),
    Golden("apl lens", among=(LENS_PIMMS, LENS_BUS), within=2, right="aides-logement"),
    Golden("fin de droits chomage lens", among=(LENS_PIMMS, LENS_BUS), within=2, right="ass"),
    Golden("domiciliation sdf lens", first=("Mairie de Lens",), right="domiciliation", within=3),
    Golden("ccas liévin", first=("Mairie de Liévin",), right="aide-sociale-ccas"),
    Golden("aide alimentaire arras", first=("Mairie de Arras",), right="aide-sociale-ccas"),
    Golden("minimum vieillesse saint-omer", first=("France services de Saint-Omer",),
           right="aspa", within=3),
    Golden("ppa longuenesse", first=("France services La Poste de Longuenesse",),
           right="prime-activite", within=3),
    Golden("aah boulogne-sur-mer",
           first=("France services La Poste de Boulogne-sur-Mer - Chemin Vert",), right="aah"),
    Golden("handicap bethune", right="aah", within=3,
           among=("France services Pimms Médiation de Béthune", "France services de Béthune",
                  "Bus France services Pimms Médiation du Béthunois")),
    Golden("asf calais", first=("France services de Calais",), right="asf", within=3),
    Golden("pole emploi calais", first=("France services de Calais",), right="are", within=3),
    Golden("revenu de solidarite active hesdin", first=("France services d'Hesdin",), right="rsa"),
    Golden("pension d'invalidite laventie", first=("France services Flandre Lys",),
           right="pension-invalidite", within=3),
    Golden("MSAP fruges", first=("France services de Fruges",)),
    Golden("rsa sains en gohelle", first=("France services La Poste de Sains-en-Gohelle",)),
    Golden("allocations familiales saint pol sur ternoise",
           first=("France services Saint-Pol-sur-Ternoise - Ternois 2",),
           right="allocations-familiales", within=2),
    Golden("Marie-Thérèse Lenoir", first=(ARRAS_LENOIR,)),
    # Homonyms: Mane (04) and Merville (59) are bigger, the territory served is 62 and 31.
    Golden("france services mane", first=("France services de Mane - CC Cagire Garonne Salat",),
           place="Mane (31)", preferred=TERRITORY),
    Golden("mairie de merville", first=("Mairie de Merville",), place="Merville (31)",
           preferred=TERRITORY),
    Golden("mairie de merville", place="Merville (59)"),
]  # fmt: skip


def check(page: SearchPage, case: Golden) -> None:
    names = [hit.name for hit in page.hits]
    assert names[: len(case.first)] == list(case.first), names
    assert set(case.among) <= set(names[: case.within]), names
    if case.right is not None:
        assert all(case.right in hit.matched_rights for hit in page.hits[: case.within]), names
    if case.place is not None:
        assert page.place_label == case.place


@pytest.mark.parametrize(
    "case", GOLDEN, ids=[f"{case.query} {'/'.join(case.preferred)}".strip() for case in GOLDEN]
)
def test_golden_query(bundled_index: WhooshSearchIndex, case: Golden) -> None:
    request = SearchRequest(
        text=case.query,
        filters=SINCE_FRANCE_SERVICES,
        per_page=10,
        preferred_departements=case.preferred,
    )
    page = search_partners(None, bundled_index, request)
    check(page, case)


OLD_SOURCES_GOLDEN = [
    Golden("pole emploi calais", among=("Pôle emploi - Calais - Mollien",
                                        "Pôle emploi - Calais - Nation"), within=2),
    Golden("allocations familiales saint pol sur ternoise",
           first=("Caisse d'allocations familiales (Caf) du Pas-de-Calais - accueil de "
                  "Saint-Pol-sur-Ternoise",), right="allocations-familiales"),
    Golden("rsa toulousse", right="rsa", within=3, place="Toulouse (31)",
           among=("Maison des solidarités de Pont-Vieux",)),
]  # fmt: skip


@pytest.mark.parametrize("case", OLD_SOURCES_GOLDEN, ids=[c.query for c in OLD_SOURCES_GOLDEN])
def test_old_offices_come_first_where_they_are_named(
    bundled_index: WhooshSearchIndex, case: Golden
) -> None:
    page = search_partners(None, bundled_index, SearchRequest(text=case.query, per_page=10))
    check(page, case)


def test_the_golden_set_is_large_enough() -> None:
    assert len(GOLDEN) >= 30


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("BÉTHUNE france services", "bethune france services"),
        ("MAIRIE D'ARRAS", "mairie arras"),
        ("chômage villefranche-de-lauragais", "chomage villefranche de lauragais"),
        ("Complémentaire Santé Solidaire Cadours", "complementaire sante solidaire cadours"),
    ],
)
def test_case_accents_and_punctuation_do_not_change_results(
    bundled_index: WhooshSearchIndex, typed: str, plain: str
) -> None:
    def names(text: str) -> list[str]:
        request = SearchRequest(text=text, filters=SINCE_FRANCE_SERVICES, per_page=10)
        page = search_partners(None, bundled_index, request)
        return [hit.name for hit in page.hits]

    assert names(typed) == names(plain) != []
