"""Form fields every area of the site shares."""

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.conf import settings
from django.urls import reverse

from core.text import normalize_email
from web.captcha_audio import speech_available

EMAIL_MAX_LENGTH = 100
INVALID_EMAIL = "Saisissez une adresse électronique valide (par exemple nom@domaine.fr)."


class NormalizedEmailField(forms.EmailField):
    """An e-mail address as the product keeps it: trimmed, lower case, at most 100
    characters, with French messages (each form may say more with `error_messages`)."""

    default_error_messages = {
        "invalid": INVALID_EMAIL,
        "max_length": "L'adresse électronique ne doit pas dépasser 100 caractères.",
        "required": "Saisissez votre adresse électronique.",
    }

    def __init__(self, *, autocomplete: str = "email", **kwargs):
        kwargs.setdefault("max_length", EMAIL_MAX_LENGTH)
        kwargs.setdefault("widget", forms.EmailInput(attrs={"autocomplete": autocomplete}))
        super().__init__(**kwargs)
        # Django's own message (« %(limit_value)s caractères… ») would otherwise win.
        self.error_messages["max_length"] = self.default_error_messages["max_length"]
        for key, message in (kwargs.get("error_messages") or {}).items():
            self.error_messages[key] = message

    def to_python(self, value):
        return normalize_email(super().to_python(value))


CAPTCHA_WRONG = (
    "Les caractères saisis ne correspondent pas à l'image : recopiez ceux de la nouvelle image."
)


class DsfrCaptchaInput(CaptchaTextInput):
    """The image, « Ecouter l'extrait sonore » (web/captcha_audio.py) and the text box."""

    template_name = "partials/captcha_widget.html"

    def audio_url(self):
        if not speech_available():
            return None
        return reverse("captcha_audio", kwargs={"key": self._key})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["assistance"] = {
            "phone": settings.ASSISTANCE_PHONE,
            "hours": settings.ASSISTANCE_HOURS,
        }
        return context


def captcha_field() -> CaptchaField:
    """The CAPTCHA (django-simple-captcha) as every form shows it, with its « Changer l'image »."""
    return CaptchaField(
        label="Recopiez les caractères de l'image",
        help_text="Les majuscules et les minuscules ne comptent pas.",
        widget=DsfrCaptchaInput(attrs={"class": "fr-input", "autocomplete": "off"}),
        template_name="partials/captcha_field.html",
        error_messages={
            "required": "Recopiez les caractères de l'image.",
            "invalid": CAPTCHA_WRONG,
        },
    )
