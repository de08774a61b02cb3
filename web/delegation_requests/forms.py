"""Forms of the delegation requests (docs/habilitations.md §12): they parse input; the rules are in
`habilitations.delegation_requests.actions` and `habilitations.delegation_requests.answers`."""

from django import forms
from dsfr.forms import DsfrBaseForm

from companies.identifiers import normalize_company_identifier
from companies.models import Company
from core.refusals import Refusal
from habilitations.catalogue import ELEMENTARY_SERVICES
from habilitations.choices import Role
from habilitations.delegation_requests.actions import Wanted, check_message
from web import identifier_lists
from web.refusals import as_validation_error

LEVELS = [
    ("", "Non demandé"),
    (Role.ACTOR.value, "Acteur"),
    (Role.DELEGATING_ACTOR.value, "Acteur délégant"),
]
EVERY = [
    ("", "Service par service (tableau ci-dessous)"),
    (Role.ACTOR.value, "Acteur sur tous les services dont l'entreprise a un administrateur"),
    (
        Role.DELEGATING_ACTOR.value,
        "Acteur délégant sur tous les services dont l'entreprise a un administrateur",
    ),
]
MESSAGE = forms.CharField(
    label="Message à l'entreprise",
    required=False,
    max_length=1000,
    widget=forms.Textarea(attrs={"rows": 3}),
)


def level_field_name(code: str) -> str:
    return f"level_{code}"


class DelegationRequestForm(DsfrBaseForm):
    """*Demander une délégation*: one company by its SIREN, or many (a CSV file, or its content
    pasted: `web.identifier_lists`), the levels wanted, a message."""

    identifier = forms.CharField(
        label="Numéro SIREN (ou équivalent) de l'entreprise",
        help_text="9 chiffres (les espaces sont ignorés), ou l'identifiant provisoire (IDSP).",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    identifiers_file = identifier_lists.IdentifierFileField(
        label="Ou plusieurs entreprises : votre fichier CSV",
        required=False,
    )
    identifiers = identifier_lists.IdentifierListField(
        label="Ou collez ici le contenu d'un fichier CSV",
        help_text="Même format et mêmes limites que le fichier ; un fichier choisi remplace ce "
        "texte. Un aperçu vous est présenté avant tout envoi.",
        required=False,
    )
    every = forms.ChoiceField(
        label="Niveau demandé", choices=EVERY, required=False, widget=forms.RadioSelect
    )
    message = MESSAGE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.from_file = False
        for es in ELEMENTARY_SERVICES:
            self.fields[level_field_name(es.code)] = forms.ChoiceField(
                label=es.label, choices=LEVELS, required=False
            )

    def clean_message(self):
        try:
            return check_message(self.cleaned_data["message"])
        except Refusal as refusal:
            raise as_validation_error(refusal) from None

    def level_rows(self):
        return [(es, self[level_field_name(es.code)]) for es in ELEMENTARY_SERVICES]

    def clean(self):
        cleaned = super().clean()
        if "identifiers_file" in self.errors:
            return cleaned
        one = cleaned.get("identifier", "").strip()
        # A file chosen replaces the pasted text; once read, its content is put in the text area
        # (below), so that the preview's confirmation sends the same list without the file.
        self.from_file = bool(cleaned.get("identifiers_file"))
        many_field = "identifiers_file" if self.from_file else "identifiers"
        many = cleaned.get(many_field) or ""
        if bool(one) == bool(many.strip()):
            raise forms.ValidationError(
                "Saisissez le SIREN d'une entreprise, ou donnez la liste de plusieurs entreprises "
                "(un fichier CSV ou son contenu collé) : l'un ou l'autre."
            )
        levels = {
            es.code: Role(cleaned[level_field_name(es.code)])
            for es in ELEMENTARY_SERVICES
            if cleaned.get(level_field_name(es.code))
        }
        every = Role(cleaned["every"]) if cleaned.get("every") else None
        try:
            self.wanted = Wanted(levels=levels, every=every)
        except Refusal as refusal:
            self.add_error("every", refusal.message)
        self.lines_refused: list[tuple[int, str, str]] = []
        if one:
            try:
                identifier = normalize_company_identifier(one)
            except Refusal as refusal:
                self.add_error("identifier", as_validation_error(refusal))
                return cleaned
            self.companies = list(Company.objects.filter(identifier=identifier))
            if not self.companies:
                self.add_error("identifier", Refusal("company.unknown").message)
        else:
            try:
                parsed = identifier_lists.parse(many)
            except forms.ValidationError as error:
                self.add_error(many_field, error)
                return cleaned
            known = {
                c.identifier: c for c in Company.objects.filter(identifier__in=parsed.identifiers)
            }
            self.companies = [known[i] for i in parsed.identifiers if i in known]
            self.lines_refused = parsed.refused + [
                (0, i, Refusal("company.unknown").message)
                for i in parsed.identifiers
                if i not in known
            ]
            if not self.companies and not self.lines_refused:
                self.add_error(many_field, "La liste ne contient aucun SIREN.")
            elif self.from_file:
                self.data = self.data.copy()
                self.data[self.add_prefix("identifiers")] = many
        return cleaned

    @property
    def single(self) -> bool:
        return bool(self.cleaned_data.get("identifier", "").strip())


class AnswerForm(DsfrBaseForm):
    """The answer to a request: per elementary service asked, the level granted (the one asked
    or lower, within one's rights) or nothing; an optional word back."""

    answer = forms.CharField(
        label="Votre réponse au cabinet",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        for option in options:
            choices = [(role.value, f"Accorder : {role.label}") for role in option.levels]
            self.fields[level_field_name(option.item.elementary_service)] = forms.ChoiceField(
                label=option.item.label,
                choices=[*choices, ("", "Ne pas accorder")],
                required=False,
                initial=option.levels[0].value if option.levels else "",
                disabled=not option.levels,
            )

    def rows(self):
        return [(o, self[level_field_name(o.item.elementary_service)]) for o in self.options]

    def levels(self) -> dict[str, Role | None]:
        chosen = {}
        for option in self.options:
            code = option.item.elementary_service
            value = self.cleaned_data.get(level_field_name(code))
            chosen[code] = Role(value) if value else None
        return chosen
