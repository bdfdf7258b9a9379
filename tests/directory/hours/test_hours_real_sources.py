"""Every row of the two bundled real sources goes through the converters.

Each produced string is checked against an independent reading of the raw value: over a week
without public holidays, the schedule must be open exactly during the published slots.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from directory.hours import (
    HoursConversion,
    HoursState,
    OpeningSchedule,
    convert_france_services_hours,
    convert_mairie_hours,
    parse_error,
)

REFERENCE = Path(__file__).resolve().parents[3] / "data" / "reference"
FRANCE_SERVICES = REFERENCE / "france_services_2024-08-01.csv"
MAIRIES = REFERENCE / "mairies_62_31.csv"
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
PLAIN_WEEK = date(2024, 6, 3)  # Monday 3 to Sunday 9 June 2024: no public holiday anywhere
NO_HOURS = "Aucun horaire renseigné"
OVERLAP = re.compile(
    r"^(\w+ : )?créneaux qui se chevauchent « [\d:]+ - [\d:]+ » et « [\d:]+ - [\d:]+ »"
)
# Rows whose slots overlap without being identical: "09:00 - 12:00 / 09:00 - 17:00 /
# 14:00 - 17:00" does not say whether there is a lunch break.
FRANCE_SERVICES_CONTRADICTORY = {
    "114", "291", "319", "749", "892", "1261", "1355", "1407", "1427", "1793",
    "1861", "1892", "1980", "1987", "2019", "2446", "2651", "2831", "2862", "2950",
}  # fmt: skip
MAIRIES_WITHOUT_HOURS = {"31267", "62064", "62434", "62494", "62547", "62862"}  # "[]"
MAIRIES_CONTRADICTORY = {"62753"}  # lundi-jeudi until 18:30 and mardi-jeudi until 17:00


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def minutes(clock: str) -> int:
    return int(clock[:2]) * 60 + int(clock[3:5])


def union(slots: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(slot for slot in slots if slot[1] > slot[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def open_slots(osm: str, departement: str) -> Iterator[tuple[int, int, int]]:
    """(weekday, start minute, end minute) of the open periods of the plain week."""
    schedule = OpeningSchedule(osm, departement)
    start = datetime.combine(PLAIN_WEEK, time(0), tzinfo=schedule.timezone)
    for interval in schedule.intervals(start, start + timedelta(days=7)):
        assert interval.state != HoursState.UNKNOWN
        if interval.state == HoursState.OPEN:
            end = interval.ends_at.hour * 60 + interval.ends_at.minute or 24 * 60
            assert interval.ends_at.date() == interval.starts_at.date() or end == 24 * 60
            opens = interval.starts_at
            yield opens.weekday(), opens.hour * 60 + opens.minute, end


def assert_valid(conversion: HoursConversion) -> None:
    assert (conversion.osm is None) != (conversion.error is None)
    if conversion.osm is not None:
        assert parse_error(conversion.osm) is None
        assert conversion.osm.endswith("; PH off")
    else:
        assert conversion.error and conversion.error.strip()


@pytest.fixture(scope="module")
def france_services() -> list[tuple[dict[str, str], HoursConversion]]:
    return [(row, convert_france_services_hours(row)) for row in read_rows(FRANCE_SERVICES)]


@pytest.fixture(scope="module")
def mairies() -> list[tuple[dict[str, str], HoursConversion]]:
    return [(row, convert_mairie_hours(row["horaires_json"])) for row in read_rows(MAIRIES)]


def test_france_services_conversion_counts(
    france_services: list[tuple[dict[str, str], HoursConversion]],
) -> None:
    rejected = [(row, conversion) for row, conversion in france_services if not conversion.osm]
    assert len(france_services) == 2845
    assert len(rejected) == 68 == 48 + len(FRANCE_SERVICES_CONTRADICTORY)
    for _, conversion in france_services:
        assert_valid(conversion)
    without_hours = [row for row, conversion in rejected if conversion.error == NO_HOURS]
    assert len(without_hours) == 48
    assert all(not row[f"h_{day}"].strip() for row in without_hours for day in DAYS[:6])
    contradictory = {row["id_fs"] for row, conversion in rejected if conversion.error != NO_HOURS}
    assert contradictory == FRANCE_SERVICES_CONTRADICTORY
    for _, conversion in rejected:
        if conversion.error != NO_HOURS:
            assert all(OVERLAP.match(part) for part in (conversion.error or "").split(" ; "))


def test_france_services_converted_hours_match_the_published_slots(
    france_services: list[tuple[dict[str, str], HoursConversion]],
) -> None:
    for row, conversion in france_services:
        if conversion.osm is None:
            continue
        expected = [
            (weekday, start, end)
            for weekday, day in enumerate(DAYS[:6])
            for start, end in union(
                [
                    (minutes(part[:5]), minutes(part[-5:]))
                    for part in row[f"h_{day}"].split(" / ")
                    if part
                ]
            )
        ]
        assert list(open_slots(conversion.osm, row["insee_dep"])) == expected, row["id_fs"]


def test_mairies_conversion_counts(mairies: list[tuple[dict[str, str], HoursConversion]]) -> None:
    rejected = {row["code_insee"]: conversion for row, conversion in mairies if not conversion.osm}
    assert len(mairies) == 1473
    assert len(rejected) == 7
    for _, conversion in mairies:
        assert_valid(conversion)
    assert set(rejected) == MAIRIES_WITHOUT_HOURS | MAIRIES_CONTRADICTORY
    for code in MAIRIES_WITHOUT_HOURS:
        assert rejected[code].error == f"{NO_HOURS} (liste vide)"
    for code in MAIRIES_CONTRADICTORY:
        assert OVERLAP.match(rejected[code].error or "")


def test_mairies_converted_hours_match_the_published_slots(
    mairies: list[tuple[dict[str, str], HoursConversion]],
) -> None:
    for row, conversion in mairies:
        if conversion.osm is None:
            continue
        week: list[list[tuple[int, int]]] = [[] for _ in DAYS]
        for first, last, slots in json.loads(row["horaires_json"]):
            for weekday in range(DAYS.index(first), DAYS.index(last) + 1):
                week[weekday] += [(minutes(start), minutes(end)) for start, end in slots]
        expected = [
            (weekday, start, end)
            for weekday, slots in enumerate(week)
            for start, end in union(slots)
        ]
        departement = row["code_insee"][:2]
        assert list(open_slots(conversion.osm, departement)) == expected, row["code_insee"]
