"""A synthetic national-scale directory for benchmarks — never real, always marked.

Every partner generated here is made up: ``is_demo=True``, ``source="synthetique-bench"``,
a name starting with « [Synthétique] », no phone, no e-mail. Only the communes are real
(``data/reference/communes_france.csv``, INSEE/DGCL): partners are placed a few hundred
metres around real town halls, in proportions resembling a national directory.

At ``scale=1.0`` (deterministic for a given seed): one town hall per commune (≈ 34 900),
a CCAS in communes of 1 500 inhabitants or more, France services, CAF, CPAM, MSA, Carsat,
France Travail, missions locales, MDS, points-justice and associations, ≈ 63 000 partners
and ≈ 190 000 services. ``scale`` multiplies every kind but the town halls.

Usage from another benchmark::

    engine = create_reference_database("sqlite:////tmp/bench.db")
    with make_session_factory(engine)() as session:
        summary = insert_synthetic_directory(session, scale=1.0)
        session.commit()

Command line: ``python -m bench.synthetic /tmp/bench.db [--scale 1.0]``.
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from geoalchemy2.shape import from_shape
from shapely.geometry import Point
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session

from directory.imports.rights import import_rights
from directory.models import Partner, ServedCommune, Service, ServiceArea
from geodata.data_files import DATA_DIR
from geodata.database import make_engine, make_session_factory
from geodata.imports import divisions
from geodata.models import SRID
from geodata.schema import upgrade_database

SOURCE = "synthetique-bench"
NAME_PREFIX = "[Synthétique]"
DEFAULT_SEED = 20261122
COMMUNES_CSV = DATA_DIR / "reference" / "communes_france.csv"

OPENING_HOURS = (
    "Mo-Fr 08:30-12:00,13:30-17:00; PH off",
    "Mo,Tu,Th,Fr 09:00-12:00,14:00-17:00; We 09:00-12:00; PH off",
    "Mo-Fr 09:00-12:30; PH off",
    "Tu,Th 14:00-17:00; PH off",
    "Mo-Fr 08:00-12:00,13:30-17:30; Sa 09:00-12:00; PH off",
    "Mo-We 09:00-12:00,13:30-16:30; Th 13:30-18:00; PH off",
    None,  # unknown hours: about one partner in seven
)
ACCESSIBILITY = (("accessible", 40), ("partiel", 15), ("non-accessible", 10), ("inconnu", 35))
APPOINTMENT = (("sans-rdv", 30), ("rdv-possible", 40), ("sur-rdv", 20), ("inconnu", 10))
PUBLICS = ("jeunes", "familles", "seniors", "personnes handicapées", "personnes sans domicile")
ALL_RIGHTS = (
    "rsa", "prime-activite", "asf", "aspa", "c2s", "aides-logement", "cheque-energie",
    "pension-invalidite", "are", "ass", "aah", "allocations-familiales", "fsl",
    "aide-sociale-ccas", "domiciliation",
)  # fmt: skip
ASSOCIATION_NAMES = (
    "Entraide et accès aux droits", "Point info familles", "Épicerie solidaire",
    "Accueil de jour", "Écrivain public", "Collectif solidarité", "Maison des familles",
    "Accompagnement numérique", "Relais seniors", "Espace jeunes",
)  # fmt: skip


@dataclass(frozen=True)
class KindPlan:
    """How many partners of a kind, where, with which services and service area."""

    kind: str
    label: str
    rights: tuple[str, ...]
    help_level: str
    area_level: str
    description: str


PLANS = {
    "mairie": KindPlan("mairie", "Mairie de {commune}", ("aide-sociale-ccas", "domiciliation"),
                       "information", "commune",
                       "La mairie vous informe sur les aides de la commune et vous oriente."),
    "ccas": KindPlan("ccas", "CCAS de {commune}",
                     ("aide-sociale-ccas", "domiciliation", "fsl", "cheque-energie"),
                     "accompagnement", "commune",
                     "Le centre communal d'action sociale instruit les demandes d'aide sociale."),
    "france-services": KindPlan("france-services", "France services de {commune}",
                                ("rsa", "prime-activite", "asf", "aides-logement",
                                 "allocations-familiales", "aah", "c2s", "pension-invalidite",
                                 "aspa", "are", "ass"), "accompagnement", "france",
                                "Un conseiller France services vous aide à faire la démarche."),
    "caf": KindPlan("caf", "CAF – accueil de {commune}",
                    ("rsa", "prime-activite", "aides-logement", "allocations-familiales", "asf",
                     "aah"), "instruction", "departement",
                    "Accueil de la caisse d'allocations familiales, sur rendez-vous ou non."),
    "cpam": KindPlan("cpam", "CPAM – accueil de {commune}", ("c2s", "pension-invalidite"),
                     "instruction", "departement", "Accueil de l'Assurance maladie."),
    "msa": KindPlan("msa", "MSA – agence de {commune}",
                    ("rsa", "prime-activite", "c2s", "aides-logement", "allocations-familiales"),
                    "instruction", "departement", "Agence de la Mutualité sociale agricole."),
    "carsat": KindPlan("carsat", "Carsat – agence retraite de {commune}",
                       ("aspa", "pension-invalidite"), "instruction", "departement",
                       "Agence retraite : demande de retraite et d'ASPA."),
    "france-travail": KindPlan("france-travail", "France Travail {commune}", ("are", "ass"),
                               "instruction", "epci", "Agence France Travail."),
    "mission-locale": KindPlan("mission-locale", "Mission locale de {commune}",
                               ("rsa", "c2s", "aides-logement", "are"), "accompagnement", "epci",
                               "Accompagnement des jeunes de 16 à 25 ans."),
    "mds": KindPlan("mds", "Maison des solidarités de {commune}",
                    ("rsa", "fsl", "aah", "asf", "domiciliation"), "accompagnement", "epci",
                    "Travailleurs sociaux du département : accompagnement et aides."),
    "point-justice": KindPlan("point-justice", "Point-justice de {commune}",
                              ("asf", "domiciliation"), "information", "epci",
                              "Informations juridiques gratuites."),
    "association": KindPlan("association", "{association} – {commune}", (), "accompagnement",
                            "commune", "Association d'aide aux démarches et d'accès aux droits."),
}  # fmt: skip


@dataclass(frozen=True)
class Commune:
    insee_code: str
    name: str
    departement_code: str
    epci_siren: str | None
    population: int
    lon: float
    lat: float


@dataclass(frozen=True)
class SyntheticSummary:
    partners: int
    services: int
    seconds: float


def read_communes(path: Path = COMMUNES_CSV) -> list[Commune]:
    communes = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            lat = row["mairie_lat"] or row["centre_lat"]
            lon = row["mairie_lon"] or row["centre_lon"]
            if row["type"] != "commune-actuelle" or not lat or not lon:
                continue
            communes.append(
                Commune(
                    row["code_insee"],
                    row["nom"],
                    row["departement"],
                    row["epci_siren"] or None,
                    int(row["population_municipale"] or 0),
                    float(lon),
                    float(lat),
                )
            )
    return communes


def create_reference_database(url: str) -> Engine:
    """A fresh database with the schema, the rights and the real divisions (no partners)."""
    engine = make_engine(url)
    upgrade_database(engine)
    reference = DATA_DIR / "reference"
    with make_session_factory(engine)() as session:
        import_rights(session, DATA_DIR / "rights")
        divisions.import_departements(session, reference / "departements.csv")
        divisions.import_epcis(session, reference / "epci.csv")
        divisions.import_communes(session, reference / "communes_france.csv")
        session.commit()
    return engine


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([value for value, _ in choices], [weight for _, weight in choices])[0]


def _placements(
    communes: list[Commune], rng: random.Random, scale: float
) -> Iterator[tuple[str, Commune]]:
    """(kind, commune) for every partner to generate."""
    by_departement: dict[str, list[Commune]] = defaultdict(list)
    for commune in communes:
        by_departement[commune.departement_code].append(commune)
        yield "mairie", commune

    def some(kind: str, pool: list[Commune], count: float) -> Iterator[tuple[str, Commune]]:
        wanted = min(len(pool), round(count * scale))
        for commune in rng.sample(pool, wanted):
            yield kind, commune

    sizes = (1_000, 1_500, 2_000, 5_000, 8_000, 10_000, 15_000, 20_000, 50_000)
    by_size = {size: [c for c in communes if c.population >= size] for size in sizes}
    yield from some("ccas", by_size[1_500], len(by_size[1_500]))
    yield from some("france-services", [c for c in by_size[1_000] if c.population < 30_000], 2_800)
    for pool in by_departement.values():
        biggest = sorted(pool, key=lambda c: -c.population)
        yield from some("caf", biggest[:3], 3)
        yield from some("cpam", biggest[:3], 3)
        yield from some("msa", biggest[:2], 1)
    yield from some("caf", by_size[20_000], len(by_size[20_000]) // 2)
    yield from some("cpam", by_size[20_000], len(by_size[20_000]) // 2)
    yield from some("carsat", by_size[50_000], len(by_size[50_000]))
    yield from some("france-travail", by_size[10_000], len(by_size[10_000]))
    yield from some("mission-locale", by_size[8_000], 450)
    yield from some("mds", by_size[5_000], 2_000)
    yield from some("point-justice", by_size[15_000], len(by_size[15_000]))
    for commune in by_size[2_000]:
        for _ in range(round(commune.population / 5_000 * scale + rng.random() * 0.5)):
            yield "association", commune


def _rows(
    communes: list[Commune], rng: random.Random, scale: float, now: datetime
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]], tuple[str, str]]]:
    counters: dict[tuple[str, str], int] = defaultdict(int)
    for kind, commune in _placements(communes, rng, scale):
        plan = PLANS[kind]
        counters[(kind, commune.insee_code)] += 1
        rank = counters[(kind, commune.insee_code)]
        name = plan.label.format(commune=commune.name, association=rng.choice(ASSOCIATION_NAMES))
        if rank > 1:
            name = f"{name} ({rank})"
        rights = plan.rights or tuple(rng.sample(ALL_RIGHTS, rng.randint(2, 4)))
        publics = "|".join(rng.sample(PUBLICS, rng.randint(0, 2))) if kind == "association" else ""
        level = (
            plan.help_level
            if kind != "association"
            else rng.choice(("information", "accompagnement"))
        )
        lon = commune.lon + rng.uniform(-0.012, 0.012)
        lat = commune.lat + rng.uniform(-0.008, 0.008)
        area_codes = {
            "commune": commune.insee_code,
            "epci": commune.epci_siren,
            "departement": commune.departement_code,
            "france": "FR",
        }
        area_code = area_codes[plan.area_level]
        area = (plan.area_level, area_code) if area_code else ("commune", commune.insee_code)
        partner = {
            "kind": kind, "name": f"{NAME_PREFIX} {name}", "description": plan.description,
            "street": f"{rng.randint(1, 120)} rue fictive", "postcode": None,
            "city": commune.name, "insee_code": commune.insee_code,
            "location": from_shape(Point(lon, lat), srid=SRID),
            "opening_hours": rng.choice(OPENING_HOURS),
            "accessibility": _weighted(rng, ACCESSIBILITY),
            "appointment": _weighted(rng, APPOINTMENT), "languages": "fr",
            "source": SOURCE, "source_id": f"{kind}-{commune.insee_code}-{rank}",
            "source_licence": "Données inventées pour les mesures de performance",
            "source_date": date(2026, 11, 22), "imported_at": now, "is_demo": True,
            "created_at": now, "updated_at": now,
        }  # fmt: skip
        services = [
            {"right_slug": slug, "help_level": level, "description": None, "publics": publics,
             "source": "Données synthétiques"}
            for slug in rights
        ]  # fmt: skip
        yield partner, services, area


def insert_synthetic_directory(
    session: Session, *, scale: float = 1.0, seed: int = DEFAULT_SEED, batch_size: int = 5_000
) -> SyntheticSummary:
    """Insert the synthetic partners (Core bulk inserts); the caller commits."""
    started = time.perf_counter()
    rng = random.Random(seed)
    communes = read_communes()
    members: dict[tuple[str, str], list[str]] = defaultdict(list)
    for commune in communes:
        members[("commune", commune.insee_code)].append(commune.insee_code)
        members[("departement", commune.departement_code)].append(commune.insee_code)
        if commune.epci_siren:
            members[("epci", commune.epci_siren)].append(commune.insee_code)
    next_id = int(session.scalar(select(func.coalesce(func.max(Partner.id), 0))) or 0) + 1
    partners = services = 0
    batch: list[tuple[dict[str, Any], list[dict[str, Any]], tuple[str, str]]] = []
    now = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    for item in _rows(communes, rng, scale, now):
        batch.append(item)
        if len(batch) >= batch_size:
            services += _flush(session, batch, next_id, members)
            partners += len(batch)
            next_id += len(batch)
            batch = []
    if batch:
        services += _flush(session, batch, next_id, members)
        partners += len(batch)
    return SyntheticSummary(partners, services, time.perf_counter() - started)


def _flush(
    session: Session,
    batch: list[tuple[dict[str, Any], list[dict[str, Any]], tuple[str, str]]],
    first_id: int,
    members: dict[tuple[str, str], list[str]],
) -> int:
    partner_rows: list[dict[str, Any]] = []
    service_rows: list[dict[str, Any]] = []
    area_rows: list[dict[str, Any]] = []
    served_rows: list[dict[str, Any]] = []
    for offset, (partner, services, area) in enumerate(batch):
        partner_id = first_id + offset
        partner_rows.append({**partner, "id": partner_id})
        service_rows.extend({**service, "partner_id": partner_id} for service in services)
        area_rows.append({"partner_id": partner_id, "level": area[0], "code": area[1]})
        served_rows.extend(
            {"partner_id": partner_id, "insee_code": code} for code in members.get(area, ())
        )
    session.execute(insert(Partner), partner_rows)
    session.execute(insert(Service), service_rows)
    session.execute(insert(ServiceArea), area_rows)
    if served_rows:
        session.execute(insert(ServedCommune), served_rows)
    return len(service_rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", type=Path, help="SpatiaLite file to create")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    arguments = parser.parse_args()
    arguments.database.unlink(missing_ok=True)
    engine = create_reference_database(f"sqlite:///{arguments.database}")
    with make_session_factory(engine)() as session:
        summary = insert_synthetic_directory(session, scale=arguments.scale, seed=arguments.seed)
        session.commit()
    print(f"{summary.partners} partenaires synthétiques, {summary.services} services, "
          f"{summary.seconds:.1f} s")  # fmt: skip


if __name__ == "__main__":
    main()
