"""The forms of the secure messaging. Every rule (motif, subject, text, files) is the domain's
(`messaging.actions`): its refusals come back next to their field (`web.refusals.add_to_form`),
so the fields here only shape what is posted and say the limits (an empty field is told in the
domain's own words)."""

from django import forms
from django.conf import settings
from dsfr.forms import DsfrBaseForm

from core.refusals import Refusal
from messaging.motifs import Motif

SUBJECT_MAX_LENGTH = 150
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def refusal_message(code: str) -> str:
    """The domain's words for a field left empty (the same as its refusal's)."""
    return Refusal(code).message


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\u00a0")


def files_help() -> str:
    count = settings.MESSAGING_MAX_ATTACHMENTS
    megabytes = settings.MESSAGING_ATTACHMENT_MAX_BYTES // (1024 * 1024)
    return (
        f"Au plus {count} fichiers PDF, JPEG ou PNG, de {megabytes} Mo chacun au plus "
        "(maintenez la touche Ctrl ou Cmd pour en choisir plusieurs). Si le message est refusé, "
        "les fichiers choisis ne sont pas conservés : choisissez-les de nouveau."
    )


def body_help() -> str:
    return (
        f"Texte seul, {_number(settings.MESSAGING_MESSAGE_MAX_CHARS)} caractères au plus. "
        "N'y indiquez aucun mot de passe."
    )


class FilesInput(forms.FileInput):
    """One `multiple` file input, in the design system's upload field."""

    allow_multiple_selected = True
    group_class = "fr-upload-group"


class FilesField(forms.Field):
    """The files chosen, as a list (checked by `messaging.attachments`)."""

    widget = FilesInput

    def clean(self, value):
        if not value:
            return []
        return [upload for upload in (value if isinstance(value, list) else [value]) if upload]


def _files_field() -> FilesField:
    return FilesField(
        label="Pièces jointes",
        required=False,
        help_text=files_help(),
        widget=FilesInput(attrs={"class": "fr-upload", "accept": ACCEPT}),
    )


def _body_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        error_messages={"required": refusal_message("messaging.body_missing")},
        strip=False,
        help_text=body_help(),
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": settings.MESSAGING_MESSAGE_MAX_CHARS}),
    )


class WriteForm(DsfrBaseForm):
    """*Écrire un message*: a new conversation with the company's tax office."""

    motif = forms.ChoiceField(
        label="Motif",
        error_messages={"required": refusal_message("messaging.motif_unknown")},
        choices=[("", "Choisissez le motif de votre message"), *Motif.choices],
    )
    subject = forms.CharField(
        label="Objet",
        error_messages={"required": refusal_message("messaging.subject_missing")},
        help_text=f"{SUBJECT_MAX_LENGTH} caractères au plus.",
        widget=forms.TextInput(attrs={"maxlength": SUBJECT_MAX_LENGTH}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"] = _body_field("Votre message")
        self.fields["files"] = _files_field()


class ReplyForm(DsfrBaseForm):
    """*Répondre* on a conversation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"] = _body_field("Votre réponse")
        self.fields["files"] = _files_field()


class EmailsForm(forms.Form):
    """« Recevoir un courriel quand l'administration vous répond » (checked: yes)."""

    receive = forms.BooleanField(required=False)
