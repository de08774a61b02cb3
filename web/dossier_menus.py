"""The menus of a dossier, built from the subscriber's rights on it (docs/habilitations.md §2):
the service menus (*Consulter, Déclarer, Payer, Démarches, Messagerie*), the *Gérer* entries,
and the persistent bar of seed 001 §4.4 (*DOSSIER, GÉRER, CONSULTER, DÉCLARER, PAYER,
DÉMARCHES, MESSAGERIE*) shown on every page of a dossier. Each entry asks the predicate that
guards the page it leads to; nothing here reads the database."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from django.urls import reverse

from habilitations.catalogue import DERIVED_ACCESSES, ELEMENTARY_SERVICES, MESSAGERIE, Menu
from habilitations.rights.queries import Rights


class Entry(NamedTuple):
    label: str
    url: str


@dataclass(frozen=True)
class NavMenu:
    """One entry of the bar: its label, its links, and what to say when it has none."""

    key: str
    label: str
    entries: list[Entry]
    empty: str
    # The MESSAGERIE menu's count of unread conversations: a callable the template calls (the
    # one query is run only by a page that shows the bar), None for the other menus.
    unread: Callable[[], int] | None = None


class ServiceMenu(NamedTuple):
    """A service menu of a dossier (*Consulter*, *Déclarer*…) and its entries; `withheld`
    when the company's requirement of a strong factor withholds services of it
    (docs/habilitations.md §14), which the menu then says."""

    label: str
    entries: list[Entry]
    withheld: bool = False


# What a holder without a strong factor reads where *Payer* was (docs/habilitations.md §14).
PAYER_WITHHELD = (
    "Cette entreprise exige une application d'authentification ou une clé d'accès pour le "
    "service Payer : activez-en une dans Mon espace."
)


def service_menus(rights: Rights, identifier: str) -> list[ServiceMenu]:
    """*Consulter, Déclarer, Payer, Démarches, Messagerie*: exactly the services the subscriber
    may use on this dossier, each leading to its page (`dossiers:service`)."""
    usable = rights.usable()
    withheld = rights.withheld_by_policy
    menus = []
    for menu in Menu:
        codes = [
            (es.code, es.menu_label)
            for es in ELEMENTARY_SERVICES
            if es.menu == menu and es.code in usable
        ] + [
            (d.code, d.menu_label) for d in DERIVED_ACCESSES if d.menu == menu and d.code in usable
        ]
        entries = [Entry(short, _service_url(identifier, code)) for code, short in codes]
        held_back = any(
            code in withheld
            for code in [es.code for es in ELEMENTARY_SERVICES if es.menu == menu]
            + [d.code for d in DERIVED_ACCESSES if d.menu == menu]
        )
        menus.append(ServiceMenu(menu.label, entries, held_back))
    return menus


def _service_url(identifier: str, code: str) -> str:
    """The secure messaging is a service of the product (web/messaging); the others lead to
    the page that says who may use them."""
    if code == MESSAGERIE:
        return reverse("messaging:threads", args=[identifier])
    return reverse("dossiers:service", args=[identifier, code])


def manage_entries(rights: Rights, identifier: str) -> list[Entry]:
    """*Gérer* entries by role. Each asks the predicate that guards its page."""
    candidates = (
        (
            rights.may_manage_bank_accounts,
            "Gérer les comptes bancaires de l'entreprise",
            "dossiers:bank_accounts",
        ),
        (
            rights.may_manage_company_email,
            "Modifier l'adresse électronique de l'entreprise",
            "dossiers:company_email",
        ),
        (rights.may_manage_deputies, "Gérer vos administrateurs suppléants", "dossiers:deputies"),
        (rights.may_delegate, "Gérer ou consulter vos délégations", "dossiers:delegations"),
        (rights.may_see_holders, "Qui a accès à cette entreprise", "dossiers:holders"),
        (
            rights.may_set_factor_policy,
            "Exiger une authentification forte",
            "dossiers:strong_factor",
        ),
        # Delegation requests go to the administrators (docs/habilitations.md §12.2).
        (
            rights.may_see_holders,
            "Demandes de délégation reçues",
            "delegation_requests:company_received",
        ),
    )
    return [
        Entry(text, reverse(url_name, args=[identifier]))
        for allowed, text, url_name in candidates
        if allowed()
    ]


NO_SERVICE = "Aucun service de ce menu ne vous est ouvert pour ce dossier."
NO_MANAGEMENT = "Votre rôle ne vous permet pas de gérer les accès à ce dossier."


def bar(rights: Rights, identifier: str, unread: Callable[[], int] | None = None) -> list[NavMenu]:
    """The persistent bar of the current dossier, in the seed's order and words; `unread`
    counts the conversations of the messaging the person has not read (None: no count)."""
    dossier = [
        Entry("Accueil du dossier", reverse("dossiers:dossier", args=[identifier])),
        Entry("Choisir un dossier", reverse("dossiers:choose")),
        Entry("Voir tous mes dossiers", reverse("dossiers:portfolio")),
    ]
    services = {m.label: m for m in service_menus(rights, identifier)}
    menus = [
        NavMenu("dossier", "Dossier", dossier, ""),
        NavMenu("gerer", "Gérer", manage_entries(rights, identifier), NO_MANAGEMENT),
    ]
    for menu in (Menu.CONSULTER, Menu.DECLARER, Menu.PAYER, Menu.DEMARCHES, Menu.MESSAGERIE):
        found = services[menu.label]
        empty = PAYER_WITHHELD if found.withheld else NO_SERVICE
        count = unread if menu == Menu.MESSAGERIE else None
        menus.append(NavMenu(menu.value, menu.label, found.entries, empty, count))
    return menus
