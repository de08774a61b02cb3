"""One-time codes (docs/security.md §5): random, shown once, kept only as a
keyed hash. The flows use them through `core.one_time.OneTimeSecret`."""

import hashlib
import hmac
import secrets
import string

from django.conf import settings

CODE_ALPHABET = string.ascii_letters + string.digits
CODE_LENGTH = 12
# Links carry longer tokens: nobody types them.
TOKEN_LENGTH = 32


# For codes typed from a printed letter: without the characters a reader confuses
# (0/O/o, 1/l/I), still mixed-case letters and digits (56 symbols, about 70 bits for 12).
PRINTED_CODE_ALPHABET = "".join(c for c in CODE_ALPHABET if c not in "0Oo1lI")


def new_code(alphabet: str = CODE_ALPHABET, length: int = CODE_LENGTH) -> str:
    """12 mixed-case letters and digits from `secrets` (about 71 bits); TOKEN_LENGTH (32,
    about 190 bits) for a link nobody types."""
    return "".join(secrets.choice(alphabet) for _ in range(length))


def hash_code(code: str, purpose: str) -> str:
    """A keyed hash bound to a purpose. A code has enough entropy for HMAC-SHA256 not to need
    a slow hash; the key keeps a stolen table from being checked offline."""
    key = hashlib.sha256(f"code:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, f"{purpose}:{code.strip()}".encode(), hashlib.sha256).hexdigest()


def code_matches(code: str, purpose: str, expected_hash: str) -> bool:
    """Constant-time comparison of an entered code with a stored hash."""
    return hmac.compare_digest(hash_code(code, purpose), expected_hash)
