"""Stored enum values of the directory and their French labels (never shown raw to people)."""

from __future__ import annotations

PARTNER_KIND_LABELS = {
    "france-services": "France services",
    "mairie": "Mairie",
    "ccas": "Centre communal d'action sociale (CCAS)",
    "mds": "Maison départementale des solidarités",
    "caf": "Caisse d'allocations familiales (CAF)",
    "cpam": "Caisse primaire d'assurance maladie (CPAM)",
    "msa": "Mutualité sociale agricole (MSA)",
    "carsat": "Assurance retraite (CARSAT)",
    "france-travail": "France Travail",
    "mission-locale": "Mission locale",
    "association": "Association",
    "bus": "Bus des droits",
    "point-justice": "Point-justice",
    "pmi": "Protection maternelle et infantile (PMI)",
    "clic": "Point d'information pour les personnes âgées (CLIC)",
    "mdph": "Maison départementale des personnes handicapées (MDPH)",
    "cidff": "Centre d'information sur les droits des femmes et des familles (CIDFF)",
    "adil": "Agence départementale d'information sur le logement (ADIL)",
    "cicas": "Retraite complémentaire Agirc-Arrco (CICAS)",
    "conseiller-numerique": "Conseiller numérique (aide au numérique)",
    "other": "Autre structure",
}
PARTNER_KINDS = tuple(PARTNER_KIND_LABELS)

HELP_LEVEL_LABELS = {
    "information": "Information et orientation",
    "accompagnement": "Aide pour constituer et déposer le dossier",
    "instruction": "Organisme qui étudie le dossier et décide",
}
HELP_LEVELS = tuple(HELP_LEVEL_LABELS)

ACCESSIBILITY_LABELS = {
    "accessible": "Accessible en fauteuil roulant",
    "partiel": "Partiellement accessible",
    "non-accessible": "Non accessible en fauteuil roulant",
    "inconnu": "Accessibilité non renseignée",
}

APPOINTMENT_LABELS = {
    "sans-rdv": "Sans rendez-vous",
    "sur-rdv": "Sur rendez-vous uniquement",
    "rdv-possible": "Avec ou sans rendez-vous",
    "inconnu": "Modalité d'accueil non renseignée",
}

SERVICE_AREA_LEVELS = ("commune", "epci", "departement", "france")
