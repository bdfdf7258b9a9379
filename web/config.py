"""Configuration: defaults, then `AIGUILLAGE_*` environment variables, then explicit values.

`SETTINGS` is the one list of the application's settings: each with its default, its type
(that of the default; ``None`` means text) and what it does. docs/CONFIGURATION.md shows
the same table (``python -m web.config`` prints it; a test checks that they agree).
An environment value is read with the type of its default, and a value that does not fit
stops the application at start with the variable's name.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_PREFIX = "AIGUILLAGE_"
TRUE_WORDS = frozenset({"1", "true", "oui"})
FALSE_WORDS = frozenset({"0", "false", "non"})


@dataclass(frozen=True)
class Setting:
    key: str
    default: str | int | float | bool | None
    description: str  # one line, French (it is shown to the people who install the service)

    @property
    def kind(self) -> type:
        """The type an environment value is read as: that of the default (None: text)."""
        return str if self.default is None else type(self.default)

    @property
    def env_name(self) -> str:
        return ENV_PREFIX + self.key


SETTINGS: tuple[Setting, ...] = (
    # Storage
    Setting(
        "DATABASE_URL",
        None,
        "Base de données ; une URL postgresql://… bascule sur PostGIS. "
        "Vide : SpatiaLite, instance/aiguillage.db.",
    ),
    Setting(
        "DATABASE_CONNECT_TIMEOUT_S",
        5.0,
        "PostgreSQL : délai maximal d'une connexion à la base, en secondes (2 au moins).",
    ),
    Setting(
        "DATABASE_STATEMENT_TIMEOUT_S",
        20.0,
        "PostgreSQL : durée maximale d'une instruction SQL d'une requête web, en secondes "
        "(0 : sans limite ; les imports et reconstructions d'index n'en ont pas).",
    ),
    Setting(
        "SEARCH_INDEX_DIR",
        None,
        "Dossier de l'index plein texte (whoosh). Vide : instance/search-index.",
    ),
    # Several servers on one database (web/directory_follow.py, docs/DEPLOYMENT.md)
    Setting(
        "CHANGE_LOG_POLL_S",
        2.0,
        "Intervalle, en secondes, de lecture du journal des changements de la base : l'index "
        "et les caches de chaque processus suivent les changements faits par les autres "
        "serveurs (0 : à chaque requête).",
    ),
    Setting(
        "LOG_FORMAT",
        "json",
        "Journaux sur la sortie d'erreur : json (une ligne JSON par évènement, avec "
        "l'identifiant de requête) ou text.",
    ),
    Setting(
        "READY_MAX_LAG_S",
        30.0,
        "Retard maximal de l'index sur la base, en secondes, au-delà duquel "
        "/api/v1/health/ready répond 503.",
    ),
    Setting(
        "PREPARE_ON_START",
        True,
        "Au démarrage de gunicorn (gunicorn.conf.py) : migrations sous verrou, puis index "
        "de recherche repris ou reconstruit. false : « db upgrade » et « search prepare » "
        "avant.",
    ),
    Setting(
        "EXPORTS_DIR",
        None,
        "Dossier des exports de l'annuaire (data·inclusion, CSV, GeoJSON), faits une fois "
        "par état de l'annuaire et gardés compressés. Vide : instance/exports.",
    ),
    Setting(
        "SECRET_KEY",
        None,
        "Clé secrète de Flask. Vide : créée une fois dans instance/secret_key.",
    ),
    # Geocoding (geodata/providers.py, docs/GEODATA.md)
    Setting(
        "GEOCODER_URL",
        None,
        "API de géocodage compatible BAN (Géoplateforme, api-adresse, addok). "
        "Vide : géocodeur hors ligne seulement.",
    ),
    Setting(
        "GEOCODER_TIMEOUT_S", 2.0, "Délai d'attente de chaque appel au géocodeur, en secondes."
    ),
    Setting("GEOCODER_RETRIES", 1, "Nouveaux essais après un délai dépassé ou une erreur 5xx."),
    Setting(
        "GEOCODER_COOLDOWN_S",
        30.0,
        "Pause après un échec du géocodeur, en secondes (le hors-ligne répond entre-temps).",
    ),
    Setting(
        "GEOCODER_PREFERRED_DEPARTEMENTS",
        "62,31",
        "Départements servis, séparés par des virgules : leurs communes passent avant "
        "les homonymes.",
    ),
    # Travel times (geodata/providers.py, docs/GEODATA.md)
    Setting("TRAVEL_TIME_PROVIDER", "estimate", "Temps de trajet : estimate ou osrm."),
    Setting("OSRM_URL_CAR", None, "Serveur OSRM du profil voiture (avec osrm)."),
    Setting("OSRM_URL_WALKING", None, "Serveur OSRM du profil piéton (avec osrm)."),
    Setting("OSRM_TIMEOUT_S", 2.0, "Délai d'attente de chaque appel à OSRM, en secondes."),
    # API protection (web/rate_limit.py)
    Setting(
        "RATE_LIMIT_PER_MINUTE",
        600,
        "Requêtes d'API par minute et par adresse IP, dans chaque processus (0 : pas de limite).",
    ),
    Setting(
        "RATE_LIMIT_PROXY_HOPS",
        0,
        "Mandataires inverses qui complètent X-Forwarded-For (0 : adresse de la connexion).",
    ),
    # Memory of each worker (web/response_cache.py, docs/API.md « Caches »)
    Setting(
        "RESPONSE_CACHE_SIZE",
        512,
        "Réponses entières d'API gardées par processus (0 : pas de cache de réponses).",
    ),
    Setting(
        "RESPONSE_CACHE_MAX_BYTES",
        32_000_000,
        "Octets de réponses gardés au plus par processus (une réponse de plus du seizième "
        "n'est pas gardée).",
    ),
    Setting("RESPONSE_CACHE_TTL_S", 60.0, "Durée de vie d'une réponse gardée, en secondes."),
    Setting(
        "SEARCH_MATCH_CACHE_CANDIDATES",
        200_000,
        "Correspondances de mots récemment cherchés, comptées en partenaires (0 : aucune).",
    ),
    Setting(
        "PARTNER_CARD_CACHE_CHECK_S",
        2.0,
        "Intervalle de vérification des fiches de partenaires gardées, en secondes "
        "(0 : à chaque requête).",
    ),
    # Age of the directory's information (directory/confirmation.py)
    Setting(
        "PARTNER_MAX_AGE_MONTHS",
        24,
        "Âge, en mois, au-delà duquel une fiche non confirmée par une personne est « à "
        "confirmer » : masquée par défaut dans la recherche publique, jamais classée avant "
        "une fiche à jour, toujours affichée avec un avertissement.",
    ),
    # The territory's identity on the pages (each territory deploys its own instance)
    Setting("SITE_NAME", "Aiguillage", "Nom du site affiché en haut de chaque page."),
    Setting(
        "TERRITORY_NAME",
        "Territoires zéro non-recours du Pas-de-Calais et de la Haute-Garonne",
        "Nom du territoire qui exploite le site (pages, fiche imprimable).",
    ),
    Setting(
        "TERRITORY_COLOUR",
        "#1d4f91",
        "Couleur principale des pages (#rrggbb, contraste d'au moins 4,5:1 sur du blanc).",
    ),
    Setting("TERRITORY_LOGO_URL", "", "Adresse du logo du territoire (vide : pas de logo)."),
    Setting("TERRITORY_CONTACT_EMAIL", "", "Courriel de contact affiché sur les pages."),
    Setting("TERRITORY_CONTACT_PHONE", "", "Téléphone de contact affiché sur les pages."),
    Setting("LEGAL_PUBLISHER", "", "Mentions légales : éditeur du site (nom et adresse)."),
    Setting("LEGAL_PUBLICATION_DIRECTOR", "", "Mentions légales : directeur de la publication."),
    Setting("LEGAL_HOST", "", "Mentions légales : hébergeur (nom, adresse, téléphone)."),
    # Maps
    Setting(
        "MAP_TILE_URL",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "Modèle d'adresse des tuiles du fond de carte (seule origine extérieure permise).",
    ),
    Setting(
        "MAP_TILE_ATTRIBUTION",
        "© les contributeurs d'OpenStreetMap",
        "Mention obligatoire du fond de carte.",
    ),
    Setting("MAP_MAX_ZOOM", 19, "Zoom maximal du fond de carte."),
    Setting(
        "MAP_TERRITORY_EPCIS",
        "200033579,200068641,200071298,200071314,200072643",
        "SIREN des intercommunalités montrées par défaut sur la carte (séparés par des virgules).",
    ),
    # Public error reports and forms
    Setting(
        "ERROR_REPORTS_PER_MINUTE",
        2,
        "Signalements d'erreur acceptés par minute et par adresse IP, par processus "
        "(0 : sans limite).",
    ),
    Setting(
        "ERROR_REPORT_CONTACT_RETENTION_DAYS",
        90,
        "Jours après le traitement d'un signalement au bout desquels le contact laissé est effacé.",
    ),
    Setting(
        "IMPORT_UPLOAD_RETENTION_DAYS",
        90,
        "Jours après l'import d'un fichier déposé au back-office (ou après son dépôt s'il n'a "
        "jamais été importé) au bout desquels son contenu est effacé (imports purge-uploads).",
    ),
    Setting(
        "SESSION_COOKIE_SECURE",
        False,
        "Cookie de session envoyé seulement en HTTPS (à activer derrière TLS).",
    ),
    Setting("CSRF_TIME_LIMIT_S", 7200, "Durée de validité d'un formulaire, en secondes."),
    # Back office (admin/, docs/ADMIN.md, docs/SECURITY.md)
    Setting(
        "SITE_URL",
        "",
        "Adresse publique du site (https://…), pour les liens imprimés par la ligne de "
        "commande (vide : chemin seul).",
    ),
    Setting(
        "ADMIN_SESSION_IDLE_MINUTES",
        30,
        "Minutes d'inactivité après lesquelles une session du back-office se ferme.",
    ),
    Setting(
        "ADMIN_SESSION_MAX_HOURS",
        10,
        "Durée maximale d'une session du back-office, en heures, même active.",
    ),
    Setting(
        "ADMIN_LOGIN_ATTEMPTS_PER_MINUTE",
        10,
        "Essais de connexion au back-office par minute et par adresse IP, par processus "
        "(0 : sans limite).",
    ),
    Setting(
        "ADMIN_LOGIN_MAX_FAILURES",
        5,
        "Échecs de connexion de suite après lesquels un compte est bloqué.",
    ),
    Setting(
        "ADMIN_LOGIN_LOCKOUT_MINUTES",
        15,
        "Durée du blocage d'un compte après trop d'échecs, en minutes.",
    ),
    Setting(
        "ADMIN_RESET_LINK_HOURS",
        24,
        "Durée de validité d'un lien (à usage unique) pour choisir un mot de passe, en heures.",
    ),
    Setting(
        "ADMIN_IMPORT_MAX_BYTES",
        20_000_000,
        "Taille maximale d'un fichier importé depuis le back-office, en octets.",
    ),
    Setting(
        "ADMIN_IMPORT_MAX_ROWS",
        100_000,
        "Nombre maximal de lignes (ou structures) d'un fichier importé depuis le back-office.",
    ),
    Setting(
        "FRESHNESS_VERIFIED_MONTHS",
        6,
        "Mois sans vérification après lesquels une fiche apparaît au tableau de bord.",
    ),
)
SETTINGS_BY_KEY: dict[str, Setting] = {setting.key: setting for setting in SETTINGS}
DEFAULTS: dict[str, Any] = {setting.key: setting.default for setting in SETTINGS}
KIND_LABELS: dict[type, str] = {str: "texte", int: "entier", float: "nombre", bool: "booléen"}


class InvalidSetting(ValueError):
    """A configuration value that does not fit its setting; the message names the variable."""


def parse_setting(setting: Setting, raw: str) -> str | int | float | bool:
    """An environment value read with the type of the setting's default."""
    value = raw.strip()
    kind = setting.kind
    if kind is bool:
        word = value.lower()
        if word in TRUE_WORDS | FALSE_WORDS:
            return word in TRUE_WORDS
        expected = "un booléen (1, 0, true, false, oui, non)"
    elif kind is int:
        try:
            return int(value)
        except ValueError:
            expected = "un nombre entier"
    elif kind is float:
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if math.isfinite(number):
            return number
        expected = "un nombre (ex. 2.5)"
    else:
        return raw
    raise InvalidSetting(f"{setting.env_name} doit être {expected} (reçu « {raw} »).")


def environment_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """The known settings given as ``AIGUILLAGE_<KEY>`` variables, typed; other names are
    not settings (``AIGUILLAGE_TEST_…`` variables of the test suite, for instance)."""
    found: dict[str, Any] = {}
    for name, raw in environ.items():
        setting = SETTINGS_BY_KEY.get(name.removeprefix(ENV_PREFIX))
        if name.startswith(ENV_PREFIX) and setting is not None:
            found[setting.key] = parse_setting(setting, raw)
    return found


def load_config(
    instance_path: Path,
    explicit: Mapping[str, Any] | None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    environ = os.environ if environ is None else environ
    config = dict(DEFAULTS)
    config.update(environment_settings(environ))
    config.update(explicit or {})
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{instance_path / 'aiguillage.db'}"
    if not config["SEARCH_INDEX_DIR"]:
        config["SEARCH_INDEX_DIR"] = str(instance_path / "search-index")
    if not config["EXPORTS_DIR"]:
        config["EXPORTS_DIR"] = str(instance_path / "exports")
    return config


def _shown_default(setting: Setting) -> str:
    if setting.default is None or setting.default == "":
        return "(vide)"
    if isinstance(setting.default, bool):
        return "true" if setting.default else "false"
    return f"`{setting.default}`"


def settings_markdown() -> str:
    """The table of docs/CONFIGURATION.md."""
    lines = ["| variable | type | défaut | rôle |", "|---|---|---|---|"]
    lines.extend(
        f"| `{setting.env_name}` | {KIND_LABELS[setting.kind]} | {_shown_default(setting)} "
        f"| {setting.description} |"
        for setting in SETTINGS
    )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(settings_markdown(), end="")
