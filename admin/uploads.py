"""How long an uploaded import file is kept: its content is emptied
``IMPORT_UPLOAD_RETENTION_DAYS`` after it was applied, or after it was uploaded when it
never was (an abandoned dry run). The row stays, with the file name, the account and the
dates; what an applied import changed, with its counts, stays in the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from admin.models import ImportUpload, User


@dataclass(frozen=True)
class PurgedUpload:
    upload_id: int
    file_name: str
    file_format: str
    uploaded_by: str
    created_at: datetime
    applied_at: datetime | None

    def describe(self) -> str:
        state = (
            f"appliqué le {self.applied_at:%Y-%m-%d}"
            if self.applied_at is not None
            else "jamais appliqué"
        )
        return (
            f"{self.file_name} ({self.file_format}), déposé le {self.created_at:%Y-%m-%d} "
            f"par {self.uploaded_by}, {state}"
        )


def purge_expired_uploads(
    session: Session, now: datetime, retention_days: int
) -> list[PurgedUpload]:
    """Empty the content of the uploads applied, or abandoned, more than ``retention_days``
    ago (flushed, not committed); returns what was emptied."""
    limit = now - timedelta(days=retention_days)
    query = (
        select(ImportUpload, User.email)
        .join(User, User.id == ImportUpload.user_id)
        .where(
            ImportUpload.purged_at.is_(None),
            func.coalesce(ImportUpload.applied_at, ImportUpload.created_at) < limit,
        )
        .order_by(ImportUpload.id)
    )
    purged = []
    for upload, email in session.execute(query):
        purged.append(
            PurgedUpload(
                upload.id,
                upload.file_name,
                upload.file_format,
                email,
                upload.created_at,
                upload.applied_at,
            )
        )
        upload.content = b""
        upload.purged_at = now
    session.flush()
    return purged
