"""The refusals' French messages: the secure messaging (docs/messaging.md)."""

from __future__ import annotations

from core.plural import Plural

MESSAGES: dict[str, str | Plural] = {
    "messaging.forbidden": (
        "Vous n'avez pas accès à la messagerie sécurisée de cette entreprise : il faut détenir "
        "son service Messagerie."
    ),
    "messaging.not_found": "Cette conversation n'existe pas ou vous n'y avez pas accès.",
    "messaging.closed": "Cette conversation est close : écrivez un nouveau message.",
    "messaging.motif_unknown": "Choisissez le motif de votre message.",
    "messaging.subject_missing": "Saisissez l'objet de votre message.",
    "messaging.subject_too_long": "L'objet compte au plus {max} caractères.",
    "messaging.body_missing": "Saisissez le texte de votre message.",
    "messaging.body_too_long": "Le message compte au plus {max} caractères.",
    "messaging.note_missing": "Saisissez le texte de la note.",
    "messaging.too_many_files": "Joignez au plus {max} fichiers à un message.",
    "messaging.file_too_large": (
        "Le fichier « {name} » dépasse la taille maximale de {max_mb} Mo."
    ),
    "messaging.file_empty": "Le fichier « {name} » est vide.",
    "messaging.file_type": (
        "Le fichier « {name} » n'est pas accepté : seuls les fichiers PDF, JPEG et PNG le sont."
    ),
    "messaging.file_type_mismatch": (
        "Le contenu du fichier « {name} » ne correspond pas à son extension : joignez un "
        "fichier PDF (.pdf), JPEG (.jpg, .jpeg) ou PNG (.png)."
    ),
    "messaging.limit_company": (
        "Trop de messages ont été envoyés aujourd'hui pour cette entreprise : réessayez demain."
    ),
    "messaging.limit_person": "Vous avez envoyé trop de messages aujourd'hui : réessayez demain.",
    "messaging.limit_bytes": (
        "Trop de pièces jointes ont été envoyées aujourd'hui pour cette entreprise : "
        "réessayez demain ou envoyez le message sans pièce jointe."
    ),
    "messaging.other_office": "Cette conversation relève d'un autre service.",
    "messaging.already_taken": "Cette conversation a déjà été prise en charge par un agent.",
    "messaging.office_unknown": "Ce service n'existe pas.",
    "messaging.same_office": "Cette conversation relève déjà de ce service.",
    "messaging.supervisors_only": "Seuls les superviseurs peuvent modifier les réponses types.",
    "messaging.canned_missing": "Saisissez le titre et le texte de la réponse type.",
}
