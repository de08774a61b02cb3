"""Forms of the groups of dossiers (docs/habilitations.md §13); the rules are in
`habilitations.groups.actions`."""

from django import forms
from dsfr.forms import DsfrBaseForm

from habilitations.catalogue import ELEMENTARY_SERVICES
from web import identifier_lists
from web.dossiers.forms import DelegateNumberForm


class GroupForm(DsfrBaseForm):
    name = forms.CharField(
        label="Nom du groupe",
        max_length=100,
        error_messages={"required": "Donnez un nom au groupe."},
    )


class AddDossiersForm(DsfrBaseForm):
    """By hand (one SIREN or a few), a CSV file, or its content pasted (`web.identifier_lists`);
    a file chosen replaces the text."""

    identifiers = identifier_lists.IdentifierListField(
        label="SIREN des dossiers à ajouter",
        help_text="Un SIREN par ligne, ou le contenu d'un fichier CSV (même format et mêmes "
        "limites que le fichier ci-dessous). Seuls vos propres dossiers peuvent entrer dans un "
        "groupe.",
        required=False,
    )
    identifiers_file = identifier_lists.IdentifierFileField(
        label="Ou un fichier CSV de SIREN",
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        field = "identifiers_file" if cleaned.get("identifiers_file") else "identifiers"
        try:
            self.parsed = identifier_lists.parse(cleaned.get(field) or "")
        except forms.ValidationError as error:
            self.add_error(field, error)
            return cleaned
        if not self.parsed.identifiers and not self.parsed.refused:
            self.add_error(field, "Saisissez au moins un SIREN, ou choisissez un fichier.")
        return cleaned


class SearchForm(DsfrBaseForm):
    query = forms.CharField(
        label="Ajouter tous vos dossiers qui correspondent à une recherche",
        help_text="Le début du SIREN, ou des mots (ou leur début) de la dénomination, dans "
        "n'importe quel ordre.",
        max_length=100,
        error_messages={"required": "Saisissez une recherche."},
    )


class MemberForm(DelegateNumberForm):
    """A collaborator, the level and the services given on every dossier of the group."""

    role = forms.ChoiceField(
        label="Niveau",
        choices=[("AC", "Acteur"), ("AD", "Acteur délégant")],
        widget=forms.RadioSelect,
        initial="AC",
    )
    codes = forms.MultipleChoiceField(
        label="Services élémentaires",
        choices=[(es.code, es.label) for es in ELEMENTARY_SERVICES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins un service."},
    )
