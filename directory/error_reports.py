"""Mistakes reported by the public on a partner's page: checked, then stored for triage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from directory.errors import InvalidErrorReport
from directory.models import ErrorReport
from directory.queries import get_partner

REPORT_TOPICS = {
    "horaires": "Les horaires",
    "adresse": "L'adresse ou la position sur la carte",
    "telephone": "Le téléphone, le courriel ou le site",
    "ferme": "Le lieu a fermé définitivement",
    "aides": "Les aides proposées",
    "autre": "Autre chose",
}
REPORT_STATUSES = {
    "nouveau": "Nouveau",
    "accepte": "Accepté",
    "rejete": "Rejeté",
    "corrige": "Corrigé",
}
"""Triage states of a report (stored value → French label); « nouveau » until triaged."""
MAX_MESSAGE_LENGTH = 2000
MAX_CONTACT_LENGTH = 200


@dataclass(frozen=True)
class ErrorReportValues:
    partner_id: int
    topic: str
    message: str
    contact: str | None = None


def check_error_report(values: ErrorReportValues) -> dict[str, list[str]]:
    """Every problem of the report, in French, per field (empty: the report is valid)."""
    errors: dict[str, list[str]] = {}
    if values.topic not in REPORT_TOPICS:
        errors.setdefault("topic", []).append("Choisissez ce qui est faux.")
    message = values.message.strip()
    if not message:
        errors.setdefault("message", []).append("Décrivez l'erreur en quelques mots.")
    elif len(message) > MAX_MESSAGE_LENGTH:
        errors.setdefault("message", []).append(
            f"Le message ne doit pas dépasser {MAX_MESSAGE_LENGTH} caractères "
            f"(il en fait {len(message)})."
        )
    if values.contact and len(values.contact.strip()) > MAX_CONTACT_LENGTH:
        errors.setdefault("contact", []).append(
            f"Le moyen de vous recontacter ne doit pas dépasser {MAX_CONTACT_LENGTH} caractères."
        )
    for name, text in (("message", values.message), ("contact", values.contact or "")):
        if any(not (ch.isprintable() or ch in "\n\r\t") for ch in text):
            errors.setdefault(name, []).append("Le texte contient des caractères invisibles.")
    return errors


def record_error_report(session: Session, values: ErrorReportValues) -> ErrorReport:
    """Store a valid report (raise `InvalidErrorReport` with the field errors otherwise)."""
    get_partner(session, values.partner_id)
    errors = check_error_report(values)
    if errors:
        raise InvalidErrorReport("Le signalement est incomplet ou invalide.", errors)
    report = ErrorReport(
        partner_id=values.partner_id,
        topic=values.topic,
        message=values.message.strip().replace("\r\n", "\n"),
        contact=(values.contact or "").strip() or None,
        status="nouveau",
    )
    session.add(report)
    session.flush()
    return report


def triage_error_report(report: ErrorReport, status: str, now: datetime) -> None:
    """Move a report to another triage state; leaving « nouveau » dates the triage (the
    contact's retention period starts then)."""
    if status not in REPORT_STATUSES:
        raise InvalidErrorReport(
            "État de traitement inconnu.", {"status": [f"État inconnu : « {status} »."]}
        )
    report.status = status
    report.triaged_at = None if status == "nouveau" else now


def erase_expired_contacts(session: Session, now: datetime, retention_days: int) -> int:
    """Erase the contact left on reports triaged more than ``retention_days`` ago; return
    how many were erased. Reports still « nouveau » keep theirs until they are triaged."""
    cutoff = now - timedelta(days=retention_days)
    result = session.execute(
        update(ErrorReport)
        .where(
            ErrorReport.contact.is_not(None),
            ErrorReport.status != "nouveau",
            ErrorReport.triaged_at.is_not(None),
            ErrorReport.triaged_at <= cutoff,
        )
        .values(contact=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
