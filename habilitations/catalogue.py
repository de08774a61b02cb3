"""The catalogue of online services (docs/habilitations.md §1): the one place that lists them.

20 services are subscribed to; *Payer* is made of nine elementary services, every other
service is its own single elementary service (28 in all). Some accesses are derived: they
need no adhesion of their own. A change here is a schema change: the database constraint
on habilitations lists these codes (see the migrations).
"""

from dataclasses import dataclass

from django.db import models

from core.refusals import Refusal


class Menu(models.TextChoices):
    CONSULTER = "consulter", "Consulter"
    DECLARER = "declarer", "Déclarer"
    PAYER = "payer", "Payer"
    DEMARCHES = "demarches", "Démarches"
    MESSAGERIE = "messagerie", "Messagerie"


@dataclass(frozen=True)
class Service:
    code: str
    label: str
    menu: Menu


@dataclass(frozen=True)
class ElementaryService:
    code: str
    label: str
    service: str
    menu: Menu
    # Short label in a menu ("TVA" under "Payer").
    menu_label: str


@dataclass(frozen=True)
class DerivedAccess:
    code: str
    label: str
    menu: Menu
    # "payer": whoever holds at least one Payer elementary service; "any": any service.
    requires: str
    menu_label: str


PAYER = "payer"
MESSAGERIE = "messagerie"

SERVICES: tuple[Service, ...] = (
    Service(MESSAGERIE, "Messagerie", Menu.MESSAGERIE),
    Service("declarer_tva", "Déclarer TVA", Menu.DECLARER),
    Service("declarer_tap", "Déclarer Taxe activités polluantes", Menu.DECLARER),
    Service("declarer_tic", "Déclarer Taxe int. consommation", Menu.DECLARER),
    Service("declarer_tvvi", "Déclarer Taxe v. vénale immeubles", Menu.DECLARER),
    Service("declarer_is", "Déclarer l'impôt sur les sociétés", Menu.DECLARER),
    Service("declarer_ts", "Déclarer la taxe sur les salaires", Menu.DECLARER),
    Service("declarer_cvae", "Déclarer la CVAE", Menu.DECLARER),
    Service("declarer_rcm", "Déclarer les RCM", Menu.DECLARER),
    Service("declarer_resultat", "Déclarer le résultat", Menu.DECLARER),
    Service("declarer_dac6", "Déclarer Dispositif DAC6", Menu.DECLARER),
    Service(PAYER, "Payer", Menu.PAYER),
    Service("consulter_compte_fiscal", "Consulter le compte fiscal", Menu.CONSULTER),
    Service("amendes_pas", "Amendes pour inexactitudes PAS", Menu.DEMARCHES),
    Service("remboursement_tva_ue", "Remboursement de TVA UE", Menu.DEMARCHES),
    Service("guichet_tva_ue", "Guichet de TVA UE", Menu.DEMARCHES),
    Service("economie_collaborative", "Economie collaborative", Menu.DECLARER),
    Service("tiers_declarants", "Tiers déclarants", Menu.DECLARER),
    Service("biens_immobiliers", "Gérer mes biens immobiliers", Menu.DEMARCHES),
    Service("cession_droits_sociaux", "Cession de droits sociaux", Menu.DECLARER),
)

_PAYER_ELEMENTARY = (
    ("payer_tva", "Payer TVA", "TVA"),
    ("payer_is", "Payer l'impôt sur les sociétés", "Impôt sur les sociétés"),
    ("payer_ts", "Payer la taxe sur les salaires", "Taxe sur les salaires"),
    ("payer_cvae", "Payer la CVAE", "CVAE"),
    ("payer_rcm", "Payer les RCM", "Revenus de capitaux mobiliers"),
    ("payer_tap", "Payer Taxe activités polluantes", "Taxe activités polluantes"),
    ("payer_tic", "Payer Taxe int. consommation", "Taxe int. consommation"),
    ("payer_tvvi", "Payer Taxe v. vénale immeubles", "Taxe v. vénale immeubles"),
    ("payer_autres", "Payer autres impôts et taxes", "Autres impôts et taxes"),
)

_MENU_LABELS = {
    "declarer_tva": "TVA",
    "declarer_tap": "Taxe activités polluantes",
    "declarer_tic": "Taxe int. consommation",
    "declarer_tvvi": "Taxe v. vénale immeubles",
    "declarer_is": "Impôt sur les sociétés",
    "declarer_ts": "Taxe sur les salaires",
    "declarer_cvae": "CVAE",
    "declarer_rcm": "Revenus de capitaux mobiliers",
    "declarer_resultat": "Résultat",
    "declarer_dac6": "Dispositif DAC6",
    "consulter_compte_fiscal": "Compte fiscal",
}

ELEMENTARY_SERVICES: tuple[ElementaryService, ...] = tuple(
    ElementaryService(code, label, PAYER, Menu.PAYER, short)
    for code, label, short in _PAYER_ELEMENTARY
) + tuple(
    ElementaryService(s.code, s.label, s.code, s.menu, _MENU_LABELS.get(s.code, s.label))
    for s in SERVICES
    if s.code != PAYER
)

DERIVED_ACCESSES: tuple[DerivedAccess, ...] = (
    DerivedAccess(
        "payer_pas",
        "Payer le prélèvement à la source",
        Menu.PAYER,
        PAYER,
        "Prélèvement à la source",
    ),
    DerivedAccess(
        "payer_cfe",
        "Payer la CFE et les autres impôts",
        Menu.PAYER,
        PAYER,
        "CFE et autres impôts",
    ),
    DerivedAccess("payer_dette", "Payer la dette fiscale", Menu.PAYER, PAYER, "Dette fiscale"),
    DerivedAccess(
        "contrats_prelevement",
        "Gérer les contrats de prélèvement automatique",
        Menu.PAYER,
        PAYER,
        "Contrats de prélèvement automatique",
    ),
    DerivedAccess(
        "coordonnees_gestionnaire",
        "Coordonnées du gestionnaire et prise de rendez-vous",
        Menu.DEMARCHES,
        "any",
        "Coordonnées du gestionnaire et prise de rendez-vous",
    ),
)

SERVICES_BY_CODE = {s.code: s for s in SERVICES}
ELEMENTARY_BY_CODE = {e.code: e for e in ELEMENTARY_SERVICES}
DERIVED_BY_CODE = {d.code: d for d in DERIVED_ACCESSES}
PAYER_ELEMENTARY_CODES = tuple(code for code, _, _ in _PAYER_ELEMENTARY)


def service_of(elementary_code: str) -> str:
    """The service an elementary service belongs to ('payer_tva' -> 'payer')."""
    return ELEMENTARY_BY_CODE[elementary_code].service


def check_designable(code: str, *, deputy: bool = False) -> None:
    """Refuse a code that names nothing one can designate (docs/habilitations.md §2): an
    administrator suppléant is designated on a service ('payer'), a delegate on an elementary
    service ('payer_tva', 'declarer_tva')."""
    if code not in (SERVICES_BY_CODE if deputy else ELEMENTARY_BY_CODE):
        raise Refusal("delegation.unknown_service", given=str(code)[:40])


def elementary_codes_of(service_code: str) -> tuple[str, ...]:
    """The elementary services a service is made of (Payer: nine; any other: itself)."""
    if service_code == PAYER:
        return PAYER_ELEMENTARY_CODES
    return (service_code,)


def label(code: str) -> str:
    """The French label of a service, an elementary service or a derived access."""
    for table in (ELEMENTARY_BY_CODE, SERVICES_BY_CODE, DERIVED_BY_CODE):
        if code in table:
            return table[code].label
    raise KeyError(code)
