"""Errors of the back office; each carries a stable ``code`` and a French message."""

from __future__ import annotations


class AdminError(Exception):
    code = "admin_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidAccount(AdminError):
    """Account values that cannot be stored (bad e-mail, unknown role, missing scope…)."""

    code = "invalid_account"


class AccountNotFound(AdminError):
    code = "account_not_found"


class WeakPassword(AdminError):
    code = "weak_password"


class InvalidResetLink(AdminError):
    """A password link that is unknown, already used or expired."""

    code = "invalid_reset_link"


class ImportRefused(AdminError):
    """An uploaded file that cannot be read at all (size, encoding, format, columns)."""

    code = "import_refused"
