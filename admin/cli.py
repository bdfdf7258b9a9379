"""Operator commands of the back office: ``users`` (accounts), ``reports`` (the contact
left on public error reports) and ``imports`` (the files uploaded for imports). Thin
edges: one transaction each, changes audited."""

from __future__ import annotations

import getpass
import socket
from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import with_appcontext

from admin.accounts import create_user, disable_user, get_user, issue_reset_link, list_users
from admin.audit import Actor, Origin, record
from admin.errors import AdminError
from admin.roles import Role, role_label
from admin.uploads import purge_expired_uploads
from directory.error_reports import erase_expired_contacts
from geodata.database import transaction
from web.database import session_factory

users_group = click.Group("users", help="Comptes du back-office.")
reports_group = click.Group("reports", help="Signalements d'erreur du public.")
imports_group = click.Group("imports", help="Fichiers déposés pour les imports du back-office.")


def command_actor(command: str) -> Actor:
    """Who runs a command: the system account on this machine (no back-office account)."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "inconnu"
    return Actor(None, f"{who}@{socket.gethostname()}", Origin.COMMAND, command)


def reset_url(token: str) -> str:
    base = str(current_app.config["SITE_URL"]).rstrip("/")
    return f"{base}/admin/mot-de-passe/{token}"


def _link_lines(email: str, token: str) -> None:
    hours = int(current_app.config["ADMIN_RESET_LINK_HOURS"])
    click.echo(f"Lien à usage unique pour choisir le mot de passe de {email} (valable {hours} h) :")
    click.echo(reset_url(token))
    if not current_app.config["SITE_URL"]:
        click.echo("(Précédez ce chemin de l'adresse du site, ou réglez AIGUILLAGE_SITE_URL.)")


@users_group.command("create")
@click.argument("email")
@click.option(
    "--role", required=True, type=click.Choice([r.value for r in Role]), help="Rôle du compte."
)
@click.option("--epci", multiple=True, help="SIREN d'une intercommunalité (gestionnaire).")
@click.option("--departement", multiple=True, help="Code d'un département (gestionnaire).")
@click.option("--partner", multiple=True, type=int, help="N° d'une fiche partenaire (référent).")
@with_appcontext
def users_create(
    email: str, role: str, epci: tuple[str, ...], departement: tuple[str, ...],
    partner: tuple[int, ...],
) -> None:  # fmt: skip
    """Crée un compte et imprime un lien pour en choisir le mot de passe."""
    areas = [("epci", code) for code in epci] + [("departement", code) for code in departement]
    now = datetime.now(UTC)
    hours = int(current_app.config["ADMIN_RESET_LINK_HOURS"])
    try:
        with transaction(session_factory()) as session:
            user = create_user(session, email, role, areas=areas, partner_ids=partner)
            token = issue_reset_link(session, user, now, hours)
            scope = [f"{level}:{code}" for level, code in areas] + [
                f"partenaire:{p}" for p in partner
            ]
            record(session, command_actor("users create"), "account-create",
                   f"Compte créé : {user.email} ({role_label(role)})",
                   after={"email": user.email, "role": role, "scope": scope})  # fmt: skip
    except AdminError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"Compte créé : {user.email} ({role_label(role)}).")
    _link_lines(user.email, token)


@users_group.command("list")
@with_appcontext
def users_list() -> None:
    """Liste les comptes (adresse, rôle, périmètre, état, dernière connexion)."""
    with session_factory()() as session:
        for user in list_users(session):
            scope = [f"{a.level}:{a.code}" for a in user.areas]
            scope += [f"partenaire:{pid}" for pid in user.partner_ids]
            state = "actif" if user.is_active else "désactivé"
            if user.password_hash is None:
                state += ", sans mot de passe"
            last = user.last_login_at.strftime("%Y-%m-%d %H:%M") if user.last_login_at else "jamais"
            click.echo(
                f"{user.email}\t{role_label(user.role)}\t{' '.join(scope) or '-'}\t{state}\t"
                f"dernière connexion : {last}"
            )


@users_group.command("disable")
@click.argument("email")
@with_appcontext
def users_disable(email: str) -> None:
    """Désactive un compte : il ne peut plus se connecter, ses sessions se ferment."""
    try:
        with transaction(session_factory()) as session:
            user = disable_user(session, email)
            record(session, command_actor("users disable"), "account-disable",
                   f"Compte désactivé : {user.email}",
                   before={"is_active": True}, after={"is_active": False})  # fmt: skip
    except AdminError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"Compte désactivé : {user.email}.")


@users_group.command("reset-link")
@click.argument("email")
@with_appcontext
def users_reset_link(email: str) -> None:
    """Imprime un lien à usage unique pour choisir un nouveau mot de passe."""
    hours = int(current_app.config["ADMIN_RESET_LINK_HOURS"])
    try:
        with transaction(session_factory()) as session:
            user = get_user(session, email)
            token = issue_reset_link(session, user, datetime.now(UTC), hours)
            record(session, command_actor("users reset-link"), "account-reset-link",
                   f"Lien de mot de passe émis pour {user.email}")  # fmt: skip
    except AdminError as exc:
        raise click.ClickException(exc.message) from exc
    _link_lines(user.email, token)


@reports_group.command("purge-contacts")
@with_appcontext
def reports_purge_contacts() -> None:
    """Efface le contact des signalements traités depuis plus que la durée de conservation."""
    days = int(current_app.config["ERROR_REPORT_CONTACT_RETENTION_DAYS"])
    with transaction(session_factory()) as session:
        erased = erase_expired_contacts(session, datetime.now(UTC), days)
        if erased:
            summary = f"{erased} contacts effacés (signalements traités il y a plus de {days} j)"
            record(session, command_actor("reports purge-contacts"), "report-contacts-erased",
                   summary)  # fmt: skip
    click.echo(f"Contacts effacés : {erased} (conservation : {days} jours après le traitement).")


@imports_group.command("purge-uploads")
@with_appcontext
def imports_purge_uploads() -> None:
    """Efface le contenu des fichiers importés (ou abandonnés) depuis plus que la durée de
    conservation ; le nom du fichier, le compte, les dates et le journal restent."""
    days = int(current_app.config["IMPORT_UPLOAD_RETENTION_DAYS"])
    with transaction(session_factory()) as session:
        purged = purge_expired_uploads(session, datetime.now(UTC), days)
        if purged:
            record(session, command_actor("imports purge-uploads"), "upload-contents-erased",
                   f"{len(purged)} fichiers d'import effacés (conservation : {days} j)",
                   after={f"fichier n° {p.upload_id}": p.describe() for p in purged})  # fmt: skip
    click.echo(
        f"Fichiers d'import effacés : {len(purged)} (conservation : {days} jours après "
        "l'import, ou après le dépôt d'un fichier jamais importé)."
    )
