"""Importing a schedule file: the example of data/examples, re-imports that keep the visits,
and bad files refused row by row with nothing written (both backends, frozen instants)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from geodata.errors import ImportFileRejected
from geodata.import_report import ImportReport
from routing.bus.imports import import_bus_schedule
from routing.bus.models import BusRoute, BusSchedule, BusStop, BusVisit
from routing.bus.visits import list_bus_visits

PARIS = ZoneInfo("Europe/Paris")
EXAMPLE = Path(__file__).resolve().parents[3] / "data" / "examples" / "bus_des_droits_exemple.csv"
NOW = datetime(2026, 12, 15, 12, 0, tzinfo=PARIS)
HEADER = (
    "type,tournee,arret,regle,nom,adresse,code_insee,longitude,latitude,recurrence,du,au,"
    "date,nouvelle_date,debut,fin,droits,partenaires,jours_feries,motif,note,source,exemple"
)


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "calendrier.csv"
    path.write_text("\n".join((HEADER, *lines)) + "\n", encoding="utf-8")
    return path


def local(visit_starts: datetime) -> tuple[date, str]:
    moment = visit_starts.astimezone(PARIS)
    return moment.date(), f"{moment:%H:%M}"


def counts(session: Session) -> tuple[int, ...]:
    return tuple(
        session.scalar(select(func.count()).select_from(model)) or 0
        for model in (BusRoute, BusStop, BusSchedule, BusVisit)
    )


def test_the_example_file_loads_as_a_fictional_route_with_its_edits(session: Session) -> None:
    file_report, visits_report = import_bus_schedule(session, EXAMPLE, NOW)
    assert (file_report.rows_read, file_report.created, file_report.rejected) == (12, 9, [])
    route = session.scalars(select(BusRoute).where(BusRoute.code == "exemple-arrageois-sud")).one()
    assert route.is_demo and route.name.startswith("Exemple fictif")
    assert route.holiday_rule == "next-working-day"
    visits = list_bus_visits(session, after=NOW, route_id=route.id)
    assert visits and all(v.is_demo for v in visits)
    assert visits_report.created == len(visits)
    by_stop_day = {(v.commune_name, local(v.starts_at)[0]): v for v in visits}
    cancelled = by_stop_day[("Wancourt", date(2027, 1, 12))]
    assert cancelled.is_cancelled and cancelled.change_reason == (
        "Exemple fictif : véhicule en révision"
    )
    # 1 January 2027 is a Friday and a public holiday: the route moves it to Monday 4.
    new_year = by_stop_day[("Ransart", date(2027, 1, 4))]
    assert new_year.occurrence_on == date(2027, 1, 1) and "Jour de l'an" in (
        new_year.change_reason or ""
    )
    moved = by_stop_day[("Ransart", date(2027, 2, 8))]
    assert moved.occurrence_on == date(2027, 2, 5) and local(moved.starts_at)[1] == "14:00"
    extra = by_stop_day[("Mercatel", date(2027, 1, 20))]
    assert extra.is_extra and [r.slug for r in extra.rights] == ["prime-activite", "rsa"]
    wancourt = by_stop_day[("Wancourt", date(2027, 1, 26))]
    assert [r.slug for r in wancourt.rights] == ["aides-logement", "prime-activite", "rsa"]
    assert local(wancourt.starts_at)[1] == "09:00"
    assert all(v.starts_at > NOW for v in visits)


def test_importing_the_same_file_again_changes_nothing_and_keeps_visit_ids(
    session: Session,
) -> None:
    import_bus_schedule(session, EXAMPLE, NOW)
    before = {v.visit_id: (v.starts_at, v.status) for v in list_bus_visits(session, after=NOW)}
    file_report, visits_report = import_bus_schedule(session, EXAMPLE, NOW)
    assert (file_report.created, file_report.updated, file_report.unchanged) == (0, 0, 9)
    assert (visits_report.created, visits_report.updated, visits_report.deleted) == (0, 0, 0)
    assert visits_report.unchanged == len(before)  # edited and extra visits counted once
    after = {v.visit_id: (v.starts_at, v.status) for v in list_bus_visits(session, after=NOW)}
    assert after == before


def test_an_edit_removed_from_the_file_is_undone(session: Session, tmp_path: Path) -> None:
    lines = [
        "tournee,t1,,,[Test] Tournée,,,,,,,,,,,,,,supprimer,,,test-fixture,oui",
        "arret,t1,a1,,[Test] Mairie,,62873,,,,,,,,,,,,,,,,",
        "regle,t1,a1,r1,,,,,,FREQ=WEEKLY;BYDAY=TU,2027-01-01,2027-01-31,,,09:00,12:00,,,,,,,",
    ]
    cancel = "annulation,t1,a1,r1,,,,,,,,,2027-01-12,,,,,,,Panne,,,"
    import_bus_schedule(session, write(tmp_path, *lines, cancel), NOW)
    statuses = {local(v.starts_at)[0]: v.status for v in list_bus_visits(session, after=NOW)}
    assert statuses[date(2027, 1, 12)] == "cancelled"
    import_bus_schedule(session, write(tmp_path, *lines), NOW)
    statuses = {local(v.starts_at)[0]: v.status for v in list_bus_visits(session, after=NOW)}
    assert statuses[date(2027, 1, 12)] == "planned"


BAD_LINES = {
    3: "arret,t1,a2,,[Test] Nulle part,,99999,,,,,,,,,,,,,,,,",
    4: "regle,t1,a1,r1,,,,,,FREQ=HOURLY,2027-01-01,,,,09:00,12:00,,,,,,,",
    5: "regle,t1,a1,r2,,,,,,FREQ=WEEKLY,2027-01-01,,,,12:00,09:00,,,,,,,",
    6: "regle,t1,a1,r3,,,,,,FREQ=WEEKLY,2027-01-01,,,,09:00,10:00,droit-inconnu,,,,,,",
    7: "arret,t2,a1,,[Test] Mairie,,62873,,,,,,,,,,,,,,,,",
    8: "visite,t1,a1,,,,,,,,,,,,,,,,,,,,",
    9: "regle,t1,a1,r4,,,,,,FREQ=WEEKLY,2027-01-01,,,,09:00,10:00,,inconnu:123,,,,,",
    10: "annulation,t1,a1,r9,,,,,,,,,2027-01-12,,,,,,,Panne,,,",
    11: "annulation,t1,a1,r5,,,,,,,,,2027-01-12,,,,,,,,,,",
    12: "tournee,t1,,,[Test] Encore,,,,,,,,,,,,,,,,,test-fixture,non",
    13: "arret,t1,a3,,[Test] Mairie,,62873,200,50,,,,,,,,,,,,,,",
    14: "regle,t1,a1,r5,,,,,,FREQ=WEEKLY;BYDAY=TU,2027-01-01,,,,09:00,10:00,,,,,,,",
}
EXPECTED_REASONS = {
    3: "code INSEE inconnu « 99999 »",
    4: "FREQ doit valoir",
    5: "l'heure de fin doit être après l'heure de début",
    6: "droit inconnu « droit-inconnu »",
    7: "tournée « t2 » non décrite dans le fichier",
    8: "type « visite » inconnu",
    9: "partenaire introuvable « inconnu:123 »",
    10: "règle « r9 » de l'arrêt « a1 » non décrite",
    11: "colonne « motif » obligatoire",
    12: "tournée « t1 » déjà décrite ligne 2",
    13: "colonnes « longitude » et « latitude »",
}


def test_a_bad_file_is_refused_row_by_row_in_french(session: Session, tmp_path: Path) -> None:
    good = [
        "tournee,t1,,,[Test] Tournée,,,,,,,,,,,,,,,,,test-fixture,oui",
        # line 3 onwards are BAD_LINES, then a good stop
    ]
    path = write(
        tmp_path, *good, *BAD_LINES.values(), "arret,t1,a1,,[Test] Mairie,,62873,,,,,,,,,,,,,,,,"
    )
    before = counts(session)
    with pytest.raises(ImportFileRejected) as caught:
        import_bus_schedule(session, path, NOW)
    report = caught.value.report
    assert isinstance(report, ImportReport)
    reasons = {problem.line: problem.reason for problem in report.rejected}
    for line, fragment in EXPECTED_REASONS.items():
        assert fragment in reasons.get(line, ""), (line, reasons.get(line))
    assert 14 not in reasons  # a good rule next to bad ones
    assert "rien n'a été modifié" in caught.value.message
    assert counts(session) == before


def test_an_edit_on_a_date_the_rule_does_not_give_refuses_the_file(
    session: Session, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "tournee,t1,,,[Test] Tournée,,,,,,,,,,,,,,,,,test-fixture,oui",
        "arret,t1,a1,,[Test] Mairie,,62873,,,,,,,,,,,,,,,,",
        "regle,t1,a1,r1,,,,,,FREQ=WEEKLY;BYDAY=TU,2027-01-01,,,,09:00,12:00,,,,,,,",
        "annulation,t1,a1,r1,,,,,,,,,2027-01-13,,,,,,,Panne,,,",
    )
    with pytest.raises(ImportFileRejected) as caught:
        import_bus_schedule(session, path, NOW)
    report = caught.value.report
    assert isinstance(report, ImportReport)
    assert [(p.line, p.reason[:45]) for p in report.rejected] == [
        (5, "le 13/01/2027 n'est pas une date de la règle ")
    ]
