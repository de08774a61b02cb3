"""*Calendrier fiscal* (docs/help.md §4): the main deadlines of a professional, month by month.

The one place these dates live. They are the usual dates for a company whose financial year
ends on 31 December, under the common regimes; a date that falls on a weekend or a public
holiday moves to the next working day. The page says so, and that the tax account holds the
company's own dates.
"""

from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True)
class Deadline:
    day: str  # when in the month, as said to the reader
    tax: str
    what: str


MONTH_NAMES = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

EVERY_MONTH: tuple[Deadline, ...] = (
    Deadline(
        "entre le 15 et le 24",
        "TVA (régime réel normal)",
        "Déclaration (CA3) et paiement de la TVA du mois précédent, à la date propre à "
        "l'entreprise.",
    ),
    Deadline(
        "le 15",
        "Revenus de capitaux mobiliers",
        "Déclaration (n° 2777) et paiement des prélèvements sur les revenus versés le mois "
        "précédent.",
    ),
    Deadline(
        "le 15",
        "Prélèvement à la source",
        "Prélèvement de l'acompte des travailleurs indépendants (le 15 du dernier mois du "
        "trimestre en cas d'option trimestrielle).",
    ),
)

_QUARTERLY_VAT = "TVA (régime réel normal, déclaration trimestrielle)"

# Month number (1-12) → its deadlines, in the order of the month.
BY_MONTH: dict[int, tuple[Deadline, ...]] = {
    1: (
        Deadline(
            "entre le 15 et le 24",
            _QUARTERLY_VAT,
            "Déclaration et paiement de la TVA du 4e trimestre.",
        ),
        Deadline(
            "en janvier",
            "Taxe sur les salaires",
            "Régularisation annuelle de la taxe de l'année précédente.",
        ),
    ),
    2: (
        Deadline(
            "le 15",
            "Revenus de capitaux mobiliers",
            "Déclaration récapitulative annuelle (IFU, n° 2561) des revenus versés l'année "
            "précédente.",
        ),
    ),
    3: (Deadline("le 15", "Impôt sur les sociétés", "Premier acompte."),),
    4: (
        Deadline(
            "entre le 15 et le 24",
            _QUARTERLY_VAT,
            "Déclaration et paiement de la TVA du 1er trimestre.",
        ),
    ),
    5: (
        Deadline(
            "le 2e jour ouvré suivant le 1er mai",
            "Résultat",
            "Déclaration de résultats et liasse fiscale de l'exercice (n° 2065 pour l'impôt sur "
            "les sociétés, n° 2031 ou 2035 pour l'impôt sur le revenu) ; 15 jours de plus pour "
            "une déclaration en ligne.",
        ),
        Deadline(
            "le 2e jour ouvré suivant le 1er mai",
            "TVA (régime simplifié)",
            "Déclaration annuelle (CA12) et paiement du solde.",
        ),
        Deadline(
            "le 2e jour ouvré suivant le 1er mai",
            "CVAE",
            "Déclaration de la valeur ajoutée (n° 1330-CVAE) et de liquidation (n° 1329-DEF), "
            "paiement du solde.",
        ),
        Deadline(
            "le 2e jour ouvré suivant le 1er mai",
            "Cotisation foncière des entreprises",
            "Déclaration (n° 1447-M) seulement en cas de changement (surfaces, activité, "
            "exonération demandée).",
        ),
        Deadline(
            "le 15",
            "Impôt sur les sociétés",
            "Relevé de solde (n° 2572) et paiement du solde de l'exercice.",
        ),
        Deadline(
            "le 15",
            "Taxe sur la valeur vénale des immeubles",
            "Déclaration (n° 2746) et paiement de la taxe de 3 %.",
        ),
    ),
    6: (
        Deadline("le 15", "Impôt sur les sociétés", "Deuxième acompte."),
        Deadline(
            "le 15",
            "CVAE",
            "Premier acompte (n° 1329-AC), si la CVAE de l'année précédente dépasse 1 500 €.",
        ),
        Deadline(
            "le 15",
            "Cotisation foncière des entreprises",
            "Acompte de 50 %, si la CFE de l'année précédente atteint 3 000 € (sauf "
            "prélèvement mensuel).",
        ),
        Deadline(
            "avant le 1er juillet",
            "Gérer mes biens immobiliers",
            "Déclaration d'occupation des locaux, en cas de changement depuis la précédente.",
        ),
    ),
    7: (
        Deadline(
            "entre le 15 et le 24",
            _QUARTERLY_VAT,
            "Déclaration et paiement de la TVA du 2e trimestre.",
        ),
        Deadline(
            "entre le 15 et le 24",
            "TVA (régime simplifié)",
            "Premier acompte : 55 % de la TVA due au titre de l'exercice précédent.",
        ),
    ),
    8: (),
    9: (
        Deadline("le 15", "Impôt sur les sociétés", "Troisième acompte."),
        Deadline("le 15", "CVAE", "Second acompte."),
    ),
    10: (
        Deadline(
            "entre le 15 et le 24",
            _QUARTERLY_VAT,
            "Déclaration et paiement de la TVA du 3e trimestre.",
        ),
        Deadline(
            "le 15",
            "Taxe foncière",
            "Paiement de la taxe foncière des locaux dont l'entreprise est propriétaire "
            "(5 jours de plus pour un paiement en ligne).",
        ),
    ),
    11: (
        Deadline(
            "à partir de la mi-novembre",
            "Cotisation foncière des entreprises",
            "L'avis d'imposition est mis à disposition dans l'espace professionnel (Consulter > "
            "Avis CFE) ; il n'est pas envoyé par courrier.",
        ),
    ),
    12: (
        Deadline("le 15", "Impôt sur les sociétés", "Quatrième acompte."),
        Deadline(
            "le 15",
            "Cotisation foncière des entreprises",
            "Paiement du solde (ou de la totalité), en ligne ou par prélèvement.",
        ),
        Deadline(
            "entre le 15 et le 24",
            "TVA (régime simplifié)",
            "Second acompte : 40 % de la TVA due au titre de l'exercice précédent.",
        ),
    ),
}


class Month(NamedTuple):
    number: int
    name: str
    deadlines: tuple[Deadline, ...]


def months() -> list[Month]:
    """January to December, each with its deadlines."""
    return [Month(number, MONTH_NAMES[number - 1], BY_MONTH[number]) for number in range(1, 13)]
