"""Test settings: the production module with a fast hasher and nothing leaving the process."""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("OUTBOX_ENABLED", "1")

from config.settings import *  # noqa: F403
from config.settings import VAR_DIR

# Argon2 with OWASP parameters costs ~50 ms a hash; tests hash a lot (production's hasher
# is checked by accounts/tests/test_settings.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
LETTERS_DIR = VAR_DIR / "test-letters"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
CAPTCHA_TEST_MODE = False
