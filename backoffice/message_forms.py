"""The forms of the secure messaging's back office (docs/backoffice.md §10): answer (text,
attachments, a canned answer to insert), internal note, reassignment, canned answers. They
check the shape only; the rules (text, files, offices) are the domain's, refused next to the
field they concern."""

from django import forms
from dsfr.forms import DsfrBaseForm

from messaging.motifs import Motif
from messaging.offices import OFFICES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); the domain checks each."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class AnswerForm(DsfrBaseForm):
    canned = forms.TypedChoiceField(
        label="Réponse type",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Choisissez une réponse type puis « Insérer » : son texte s'ajoute au vôtre.",
    )
    body = forms.CharField(
        label="Votre réponse",
        error_messages={"required": "Saisissez le texte de votre message."},
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Texte simple, sans mise en forme. L'entreprise le lira tel quel.",
    )
    files = MultipleFileField(
        label="Pièces jointes",
        help_text="PDF, JPEG ou PNG ; 10 Mo au plus par fichier, 5 fichiers au plus.",
    )

    def __init__(self, *args, canned_answers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.canned_answers = {c.pk: c for c in canned_answers}
        self.fields["canned"].choices = [("", "— Choisir —")] + [
            (c.pk, c.title) for c in canned_answers
        ]
        if not canned_answers:
            del self.fields["canned"]


class NoteForm(DsfrBaseForm):
    body = forms.CharField(
        label="Note interne",
        error_messages={"required": "Saisissez le texte de la note."},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Visible des seuls agents : jamais de l'entreprise.",
    )


class ReassignForm(DsfrBaseForm):
    office = forms.ChoiceField(
        label="Service destinataire",
        error_messages={
            "required": "Choisissez un service.",
            "invalid_choice": "Choisissez un service de la liste.",
        },
    )

    def __init__(self, *args, current: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [("", "— Choisir —")] + [
            (o.code, o.name) for o in OFFICES if o.code != current
        ]


class CannedAnswerForm(DsfrBaseForm):
    motif = forms.ChoiceField(
        label="Motif",
        choices=[("", "— Choisir —"), *Motif.choices],
        error_messages={
            "required": "Choisissez un motif.",
            "invalid_choice": "Choisissez un motif de la liste.",
        },
    )
    title = forms.CharField(
        label="Titre",
        max_length=100,
        error_messages={"required": "Saisissez un titre."},
    )
    text = forms.CharField(
        label="Texte",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Saisissez le texte de la réponse."},
    )
