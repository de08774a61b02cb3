"""The help pages (docs/help.md §1): one per entry of the space's menus, reached by the « En
savoir plus » under that entry, and listed on the *Aide* page under the seed's headings. Each
page's text is its template, `help/topics/<slug>.html`."""

from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str
    group: str


GROUPS = (
    "Créer et activer votre espace",
    "Services en ligne",
    "Dossiers",
    "Droits d'accès",
    "Informations personnelles",
)

TOPICS: tuple[Topic, ...] = (
    Topic("mode-expert", "Créer un espace professionnel en mode expert", GROUPS[0]),
    Topic("mode-simplifie", "Créer un espace professionnel en mode simplifié", GROUPS[0]),
    Topic("activer", "Activer mon espace / mes services", GROUPS[0]),
    Topic("adherer", "Adhérer aux services en ligne", GROUPS[1]),
    Topic("substitution", "Gérer vos substitutions (remplacer le titulaire)", GROUPS[1]),
    Topic("habilitations", "Consulter vos services (habilitations)", GROUPS[1]),
    Topic("dossiers", "Choisir un dossier, voir tous mes dossiers", GROUPS[2]),
    Topic("comptes-bancaires", "Gérer les comptes bancaires de l'entreprise", GROUPS[2]),
    Topic("adresse-entreprise", "Modifier l'adresse électronique de l'entreprise", GROUPS[2]),
    Topic("suppleants", "Gérer vos administrateurs suppléants", GROUPS[3]),
    Topic("delegations", "Gérer ou consulter vos délégations", GROUPS[3]),
    Topic("coordonnees", "Gérer vos coordonnées", GROUPS[4]),
    Topic(
        "identifiants",
        "Gérer votre adresse électronique de connexion / votre mot de passe",
        GROUPS[4],
    ),
    Topic("mot-de-passe", "La péremption de votre mot de passe", GROUPS[4]),
)
BY_SLUG = {topic.slug: topic for topic in TOPICS}


class TopicGroup(NamedTuple):
    name: str
    topics: list[Topic]


def grouped() -> list[TopicGroup]:
    return [TopicGroup(group, [t for t in TOPICS if t.group == group]) for group in GROUPS]
