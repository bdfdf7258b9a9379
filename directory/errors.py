"""Errors raised by the directory package. Each carries a stable ``code``."""

from __future__ import annotations


class DirectoryError(Exception):
    code = "directory_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PartnerNotFound(DirectoryError):
    code = "partner_not_found"


class RightNotFound(DirectoryError):
    code = "right_not_found"


class InvalidPartner(DirectoryError):
    """A partner that breaks a directory rule; ``field_errors`` maps fields to French messages."""

    code = "invalid_partner"

    def __init__(self, message: str, field_errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.field_errors = field_errors or {}


class InvalidErrorReport(DirectoryError):
    """A public error report that cannot be stored; ``field_errors`` as for partners."""

    code = "invalid_error_report"

    def __init__(self, message: str, field_errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.field_errors = field_errors or {}
