from django.conf import settings

from web import current_dossier


def portal(request):
    return {
        "PRODUCT_NAME": settings.PRODUCT_NAME,
        "PRODUCT_TAGLINE": settings.PRODUCT_TAGLINE,
        "OUTBOX_ENABLED": settings.OUTBOX_ENABLED,
        # Called by the template only for a logged-in person (the login page reads no session).
        "current_band": lambda: current_dossier.band(request),
        "dossier_bar": getattr(request, "dossier_bar", None),
    }
