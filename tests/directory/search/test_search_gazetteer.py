"""Communes named in a query: homonyms, postcodes, abbreviations (made-up mini gazetteer)."""

from __future__ import annotations

from directory.search.analysis import words
from directory.search.gazetteer import gazetteer_from_json, normalise_query_words, search_gazetteer
from geodata.geocoding.gazetteer import Gazetteer, Place

# Real communes, real codes; populations rounded (only their order matters here).
PLACES = [
    Place("31483", "Saint-Gaudens", "31", 0.7237, 43.1080, 11_000, ("31800",)),
    Place("62041", "Arras", "62", 2.7775, 50.2910, 41_000, ("62000",)),
    Place("31555", "Toulouse", "31", 1.4442, 43.6045, 500_000, ("31000", "31100")),
    Place("47310", "Villeneuve-sur-Lot", "47", 0.7050, 44.4080, 22_000, ("47300",)),
    Place("89464", "Villeneuve-sur-Yonne", "89", 3.2830, 48.0810, 5_000, ("89500",)),
    Place("11076", "Castanet", "11", 2.0, 43.3, 100, ()),
    Place("31113", "Castanet-Tolosan", "31", 1.5, 43.5, 14_000, ("31320",)),
    Place("81061", "Castanet", "81", 2.0, 44.0, 300, ("81150",)),
    Place("32386", "Saint-Orens", "32", 0.9, 43.7, 150, ("32120",)),
    Place("31506", "Saint-Orens-de-Gameville", "31", 1.53, 43.55, 12_000, ("31650",)),
    Place("89086", "Charny Orée de Puisaye", "89", 3.1, 47.9, 5_000, ("89120",)),
    Place("69264", "Villefranche-sur-Saône", "69", 4.72, 45.99, 36_000, ("69400",)),
]


def find(text: str, gazetteer: Gazetteer) -> str | None:
    match = gazetteer.find(normalise_query_words(words(text)))
    return None if match is None else match.place.insee_code


def test_commune_names_are_found_whatever_the_spelling() -> None:
    gazetteer = search_gazetteer(PLACES)
    assert find("rsa saint-gaudens", gazetteer) == "31483"
    assert find("RSA St Gaudens", gazetteer) == "31483"
    assert find("aide dossier SAINT GAUDENS", gazetteer) == "31483"
    assert find("rsa", gazetteer) is None


def test_the_longest_name_wins_over_a_shorter_one() -> None:
    assert find("ccas castanet tolosan", search_gazetteer(PLACES)) == "31113"


def test_homonyms_are_settled_by_a_departement_or_postcode_else_by_population() -> None:
    gazetteer = search_gazetteer(PLACES)
    assert find("mairie villeneuve sur lot", gazetteer) == "47310"
    assert find("mairie castanet 11", gazetteer) == "11076"
    assert find("mairie castanet 81150", gazetteer) == "81061"


def test_a_short_name_means_the_much_bigger_commune_it_starts() -> None:
    gazetteer = search_gazetteer(PLACES)
    assert find("mairie castanet", gazetteer) == "31113"  # Castanet-Tolosan
    assert find("france services saint-orens", gazetteer) == "31506"
    assert find("rsa villeneuve", gazetteer) == "47310"  # no exact name: the biggest


def test_a_former_name_only_wins_when_nothing_bigger_has_it() -> None:
    gazetteer = search_gazetteer(PLACES, [("Villefranche", "89086")])
    assert find("rsa villefranche", gazetteer) == "69264"
    assert find("rsa villefranche 89", gazetteer) == "89086"


def test_common_words_are_not_places_without_a_hint() -> None:
    gazetteer = search_gazetteer([*PLACES, Place("62191", "Bus", "62", 2.9, 50.1, 100, ("62124",))])
    assert gazetteer.find(["bus", "arras"], common_words={"bus"}).place.name == "Arras"  # type: ignore[union-attr]
    assert gazetteer.find(["bus"], common_words={"bus"}) is None
    assert gazetteer.find(["bus", "62"], common_words={"bus"}).place.name == "Bus"  # type: ignore[union-attr]


def test_a_postcode_names_its_main_commune() -> None:
    gazetteer = search_gazetteer(PLACES)
    assert find("france services 62000", gazetteer) == "62041"
    assert find("mairie 31100", gazetteer) == "31555"


def test_former_commune_names_lead_to_the_current_commune() -> None:
    gazetteer = search_gazetteer(PLACES, [("Eaunes-Vieille", "31555")])
    assert find("mairie eaunes vieille", gazetteer) == "31555"


def test_positions_already_read_as_something_else_are_not_names() -> None:
    gazetteer = search_gazetteer(PLACES)
    assert gazetteer.find(["arras"], taken=[0]) is None


def test_the_gazetteer_survives_its_json_form() -> None:
    gazetteer = search_gazetteer(PLACES)
    copy = gazetteer_from_json(gazetteer.to_json())
    assert copy.by_name == gazetteer.by_name
    assert find("villeneuve sur yonne", copy) == "89464"


def test_near_words_tolerate_one_typo() -> None:
    assert "toulouse" in search_gazetteer(PLACES).near_words("toulousse", 1)


def test_preferred_departements_settle_homonyms_before_population() -> None:
    places = [
        Place("04111", "Mane", "04", 5.75, 43.94, 1_410, ("04300",)),
        Place("31315", "Mane", "31", 0.95, 43.08, 969, ("31260",)),
        *PLACES,
    ]
    gazetteer = search_gazetteer(places)
    assert find("france services mane", gazetteer) == "04111"
    match = gazetteer.find(["mane"], preferred={"31", "62"})
    assert match is not None and match.place.insee_code == "31315"
    match = gazetteer.find(["castanet"], preferred={"81"})
    assert match is not None and match.place.insee_code == "81061"
