"""The password rules and the strength scorer (docs/accounts.md §7, docs/security.md §4): the one
home for both."""

from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from zxcvbn import zxcvbn

from core.text import fold

MIN_LENGTH = 20
MAX_LENGTH = 128
SAME_AS_CURRENT = "Le nouveau mot de passe doit être différent de votre mot de passe actuel."
# zxcvbn refuses more than 72 characters; past that, the first 72 are scored.
_ZXCVBN_MAX = 72


class Strength(StrEnum):
    WEAK = "Faible"
    NORMAL = "Normal"
    STRONG = "Fort"


@dataclass(frozen=True)
class StrengthReport:
    strength: Strength
    score: int  # zxcvbn's 0..4

    @property
    def css_level(self) -> str:
        return {Strength.WEAK: "error", Strength.NORMAL: "warning", Strength.STRONG: "success"}[
            self.strength
        ]


def _personal_words(email: str = "", names: tuple[str, ...] = ()) -> list[str]:
    words = []
    if email:
        words.append(email)
        words.append(email.split("@")[0])
    words.extend(n for n in names if n)
    # Words shorter than 3 characters would refuse too much ("Li", "Ba").
    return [fold(w) for w in words if len(w.strip()) >= 3]


def score(password: str, email: str = "", names: tuple[str, ...] = ()) -> StrengthReport:
    """Faible / Normal / Fort, from zxcvbn, knowing the person's e-mail and names."""
    if len(password) < MIN_LENGTH:
        return StrengthReport(Strength.WEAK, 0)
    result = zxcvbn(password[:_ZXCVBN_MAX], user_inputs=_personal_words(email, names))
    value = int(result["score"])
    strength = Strength.WEAK if value <= 2 else Strength.NORMAL if value == 3 else Strength.STRONG
    return StrengthReport(strength, value)


def contains_names(password: str, names: tuple[str, ...]) -> bool:
    """Whether the password contains one of the person's names (3 letters or more)."""
    folded = fold(password)
    return any(word in folded for word in _personal_words(names=names))


def password_errors(
    password: str,
    *,
    email: str = "",
    names: tuple[str, ...] = (),
    current_hash: str = "",
) -> list[str]:
    """Every rule of docs/accounts.md §7 the password breaks, as messages in French (empty when it
    is fine).

    `current_hash` is the stored hash of the password being replaced: the new one must differ.
    """
    if current_hash and check_password(password, current_hash):
        return [SAME_AS_CURRENT]
    errors = []
    if len(password) < MIN_LENGTH:
        errors.append(
            f"Le mot de passe doit comporter au moins {MIN_LENGTH} caractères "
            f"(il en comporte {len(password)})."
        )
        return errors
    if len(password) > MAX_LENGTH:
        errors.append(f"Le mot de passe ne peut dépasser {MAX_LENGTH} caractères.")
        return errors
    folded = fold(password)
    if email and (fold(email) in folded or fold(email.split("@")[0]) in folded):
        errors.append("Le mot de passe ne doit pas contenir votre adresse électronique.")
    if contains_names(password, names):
        errors.append("Le mot de passe ne doit pas contenir votre nom ni votre prénom.")
    try:
        CommonPasswordValidator().validate(password)
    except ValidationError:
        errors.append("Ce mot de passe fait partie des mots de passe les plus courants.")
    if not errors and score(password, email, names).strength == Strength.WEAK:
        errors.append(
            "Ce mot de passe est trop faible : ajoutez des mots peu courants, "
            "évitez les répétitions et les suites de caractères."
        )
    return errors
