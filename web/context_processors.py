from django.conf import settings


def portal(request):
    return {
        "PRODUCT_NAME": settings.PRODUCT_NAME,
        "PRODUCT_TAGLINE": settings.PRODUCT_TAGLINE,
        "OUTBOX_ENABLED": settings.OUTBOX_ENABLED,
    }
