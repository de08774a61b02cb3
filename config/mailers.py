"""The MAILERS setting: every e-mail is recorded in correspondence.Message (the outbox), then
delivered through this backend: SMTP in production, Django's memory on a laptop (nothing leaves
it). Read from the environment (EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_TIMEOUT)."""

from config.env import env_int, env_str


def mailers(debug: bool) -> dict:
    """Django's MAILERS, for a laptop (`debug`) or production."""
    backend = env_str(
        "EMAIL_BACKEND",
        "django.core.mail.backends.locmem.EmailBackend"
        if debug
        else "django.core.mail.backends.smtp.EmailBackend",
    )
    # A mail server that accepts connections but never answers must not hold a worker for ever:
    # every SMTP exchange gives up after EMAIL_TIMEOUT seconds (the e-mail is retried later).
    smtp_options = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "timeout": env_int("EMAIL_TIMEOUT", 10),
    }
    return {
        "default": {
            "BACKEND": backend,
            "OPTIONS": smtp_options if backend.endswith("smtp.EmailBackend") else {},
        }
    }
