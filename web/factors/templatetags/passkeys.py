"""`{% passkey_button "login" "Se connecter avec une clé d'accès" %}`: a passkey ceremony on a
page (docs/security.md §14.6), run by django-otp-webauthn's script, a static file as every
script of the site (no inline script: the CSP). Its configuration (the endpoints of this
purpose, the CSRF token) is a JSON block the script reads; without JavaScript the button is
not there and a sentence says why; where browsers cannot run one (plain http off localhost),
nothing at all."""

from django import template
from django.middleware import csrf
from django.urls import reverse

from accounts.factors import passkeys

register = template.Library()


@register.inclusion_tag("factors/_passkey_button.html", takes_context=True)
def passkey_button(context, purpose: str, label: str, style: str = "fr-btn--secondary"):
    """`purpose`: register, login, second_step or proof (the `factors:passkey_<purpose>_*`
    endpoints); one per page (the script looks its elements up by id)."""
    request = context["request"]
    begin = reverse(f"factors:passkey_{purpose}_begin")
    complete = reverse(f"factors:passkey_{purpose}_complete")
    registering = purpose == "register"
    return {
        "possible": passkeys.possible(),
        "registering": registering,
        "label": label,
        "style": style,
        "csp_nonce": context.get("csp_nonce"),
        "config": {
            "beginRegistrationUrl": begin if registering else "",
            "completeRegistrationUrl": complete if registering else "",
            "beginAuthenticationUrl": "" if registering else begin,
            "completeAuthenticationUrl": "" if registering else complete,
            "autocompleteLoginFieldSelector": None,
            "nextFieldSelector": "input[name='next']",
            "csrfToken": csrf.get_token(request),
        },
    }
