"""Errors raised by the geodata package. Each carries a stable ``code``."""

from __future__ import annotations


class GeodataError(Exception):
    code = "geodata_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SpatialBackendUnavailable(GeodataError):
    code = "spatial_backend_unavailable"


class CommuneNotFound(GeodataError):
    code = "commune_not_found"


class EpciNotFound(GeodataError):
    code = "epci_not_found"


class InvalidLocation(GeodataError):
    code = "invalid_location"


class ImportFileRejected(GeodataError):
    """The whole file is refused (structure, encoding, too many bad rows); nothing was written."""

    code = "import_file_rejected"

    def __init__(self, message: str, report: object | None = None) -> None:
        super().__init__(message)
        self.report = report


class BackupFailed(GeodataError):
    """A backup or a restoration could not be done (tool missing, destination not empty)."""

    code = "backup_failed"
