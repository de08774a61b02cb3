"""Forms of the groups of dossiers (docs/habilitations.md §13); the rules are in
`habilitations.groups`."""

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
    """By hand (one SIREN or a few) or the content of a CSV file."""

    identifiers = identifier_lists.IdentifierListField(
        label="SIREN des dossiers à ajouter",
        help_text="Un SIREN par ligne, ou le contenu d'un fichier CSV (SIREN en première colonne), "
        f"au plus {identifier_lists.MAX_LINES} lignes. Seuls vos propres dossiers peuvent entrer "
        "dans un groupe.",
        error_messages={"required": "Saisissez au moins un SIREN."},
    )

    def clean_identifiers(self):
        self.parsed = identifier_lists.parse(self.cleaned_data["identifiers"])
        if not self.parsed.identifiers and not self.parsed.refused:
            raise forms.ValidationError("Saisissez au moins un SIREN.")
        return self.cleaned_data["identifiers"]


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
