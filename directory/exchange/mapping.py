"""Explicit mapping between our vocabularies and the data·inclusion v1 referentials.

data·inclusion (https://data.inclusion.gouv.fr, schema v1) describes *structures* and
their *services*. Our partners are structures; each of our services (one right, one help
level) is a data·inclusion service. Where a value of ours has no data·inclusion
equivalent, the standard field is left empty and the value travels in the ``aiguillage``
extension object (see `EXTENSION_KEY`), so that our own export → import round trip loses
nothing. A file from another producer has no extension: what it cannot say (which right a
service helps with, accessibility, appointment) is not invented on import.

Every table below is checked against the bundled referentials in ``data/datainclusion/``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

SCHEMA_VERSION = "1"
EXTENSION_KEY = "aiguillage"
"""Name of the extension object added to structures and services (ignored by other tools)."""
EXTENSION_VERSION = 1
PRODUCER_SOURCE = "aiguillage"
"""data·inclusion ``source`` of the records we produce."""

KIND_TO_NETWORK: Mapping[str, str | None] = MappingProxyType(
    {
        "france-services": "france-service",
        "mairie": "communes",
        "ccas": "ccas-cias",
        "mds": "maisons-des-solidarites",
        "caf": "caf",
        "cpam": "cpam",
        "msa": "mutualite-sociale-agricole",
        "carsat": None,  # no "assurance retraite" network in the referential
        "france-travail": "france-travail",
        "mission-locale": "mission-locale",
        "association": None,  # too broad: the network of an association is unknown
        "bus": None,  # no mobile-service network
        "point-justice": "points-justice",
        "pmi": None,  # no PMI network in the referential
        "clic": None,  # no CLIC network in the referential
        "mdph": "mdph",
        "cidff": "cidff",
        "adil": None,  # no ADIL network in the referential
        "cicas": None,  # no complementary-pension network in the referential
        "conseiller-numerique": "conseillers-numeriques",
        "other": None,
    }
)
"""Our partner kind → data·inclusion ``reseaux_porteurs`` (None: kept in the extension)."""

NETWORK_TO_KIND: Mapping[str, str] = MappingProxyType(
    {
        **{network: kind for kind, network in KIND_TO_NETWORK.items() if network is not None},
        "msap": "france-services",  # Maisons de services au public, ancestors of France services
    }
)
"""data·inclusion network → our kind, for files from other producers (else ``other``)."""

HELP_LEVEL_TO_TYPE: Mapping[str, str] = MappingProxyType(
    {
        "information": "information",
        "accompagnement": "accompagnement",
        "instruction": "aide-financiere",  # the body that decides pays the benefit
    }
)
"""Our help level → data·inclusion ``type`` (types-de-services)."""

ACCESS_TO_RIGHTS = (
    "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"
)

RIGHT_TO_THEMES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "rsa": (ACCESS_TO_RIGHTS,),
        "prime-activite": (ACCESS_TO_RIGHTS,),
        "asf": (ACCESS_TO_RIGHTS, "famille--soutien-a-la-parentalite-et-a-leducation"),
        "aspa": (ACCESS_TO_RIGHTS,),
        "c2s": (ACCESS_TO_RIGHTS, "sante--acces-aux-soins"),
        "aides-logement": (
            ACCESS_TO_RIGHTS,
            "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement",
        ),
        "cheque-energie": (
            ACCESS_TO_RIGHTS,
            "difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere",
        ),
        "pension-invalidite": (ACCESS_TO_RIGHTS, "sante--constituer-un-dossier-mdph-invalidite"),
        "are": (ACCESS_TO_RIGHTS,),
        "ass": (ACCESS_TO_RIGHTS,),
        "aah": (ACCESS_TO_RIGHTS, "sante--constituer-un-dossier-mdph-invalidite"),
        "allocations-familiales": (
            ACCESS_TO_RIGHTS,
            "famille--soutien-a-la-parentalite-et-a-leducation",
        ),
        "fsl": (
            ACCESS_TO_RIGHTS,
            "logement-hebergement--se-maintenir-dans-le-logement",
            "logement-hebergement--reduire-les-impayes-de-loyer",
        ),
        "aide-sociale-ccas": (ACCESS_TO_RIGHTS,),
        "domiciliation": (
            ACCESS_TO_RIGHTS,
            "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
        ),
    }
)
"""Our right → data·inclusion ``thematiques``. One-way: a thématique never says which right
a service of another producer helps with, so the import does not guess it."""

DEFAULT_THEMES: tuple[str, ...] = (ACCESS_TO_RIGHTS,)
"""Thématiques of a right missing from `RIGHT_TO_THEMES` (a right added by a territory)."""

APPOINTMENT_TO_MOBILISATION: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "sans-rdv": ("se-presenter",),
        "rdv-possible": ("se-presenter",),
        "sur-rdv": (),
        "inconnu": (),
    }
)
"""How a person gets the service (``modes_mobilisation``), completed by ``telephoner`` and
``envoyer-un-courriel`` when the partner has a phone number or an e-mail address."""

DATAINCLUSION_PUBLICS = frozenset(
    {
        "tous-publics",
        "actifs",
        "beneficiaires-des-minimas-sociaux",
        "demandeurs-emploi",
        "etudiants",
        "familles",
        "femmes",
        "jeunes",
        "personnes-en-situation-de-handicap",
        "personnes-en-situation-durgence",
        "personnes-en-situation-juridique-specifique",
        "personnes-exilees",
        "residents-qpv-frr",
        "seniors",
    }
)
"""Our service publics are free labels: only those equal to a data·inclusion value are
exported in ``publics``; all of them travel in the extension."""

NATIONAL_ZONE = "france"


def themes_for(right_slug: str) -> list[str]:
    return list(RIGHT_TO_THEMES.get(right_slug, DEFAULT_THEMES))


def zone_code(level: str, code: str) -> str:
    """A service-area entry as a data·inclusion ``zone_eligibilite`` code."""
    return NATIONAL_ZONE if level == "france" else code


def area_of_zone(code: str) -> tuple[str, str] | None:
    """A ``zone_eligibilite`` code → (level, code), or None when not understood."""
    if code in (NATIONAL_ZONE, "99100"):
        return ("france", "FR")
    if len(code) == 9 and code.isascii() and code.isdigit():
        return ("epci", code)
    if len(code) == 5 and not code.startswith("99"):
        return ("commune", code)
    if len(code) in (2, 3):
        return ("departement", code)
    return None
