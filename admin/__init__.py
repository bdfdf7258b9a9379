"""The back office: accounts and roles, editing through the directory's operations,
imports with dry runs, the audit log and the freshness dashboard.

`init_admin` is called by the composition root (`web.app.create_app`): it registers the
``/admin`` blueprint, the ``users``, ``reports`` and ``imports`` command groups, and the
audit of the import commands of ``web`` (`admin.command_audit`).
"""

from __future__ import annotations

from flask import Flask


def init_admin(app: Flask) -> None:
    from admin import (  # noqa: F401  (views of the blueprint)
        auth_views,
        bus_import_views,
        bus_views,
        bus_visit_views,
        dashboard_views,
        duplicate_views,
        import_views,
        partner_views,
        report_views,
        rights_views,
        upkeep_views,
    )
    from admin.blueprint import admin, guard_unrouted
    from admin.cli import imports_group, reports_group, users_group
    from admin.command_audit import CommandImportAudit
    from web.import_command import IMPORT_AUDIT_EXTENSION

    app.register_blueprint(admin)
    app.before_request(guard_unrouted)
    app.cli.add_command(users_group)
    app.cli.add_command(reports_group)
    app.cli.add_command(imports_group)
    app.extensions[IMPORT_AUDIT_EXTENSION] = CommandImportAudit
