"""Forms of *Gérer vos coordonnées*: the registration form's fields, and the trust question."""

from accounts.forms import ProfileForm
from accounts.password_forms import ReauthenticatedForm


class CoordinatesForm(ProfileForm):
    """The registration form (SPEC §4) without the login e-mail and the trust question, which
    have their own pages."""

    trust_question = None
    trust_answer = None


class TrustQuestionForm(ReauthenticatedForm):
    """A new trust question and answer, behind the current password (SPEC §14)."""

    trust_question = ProfileForm.base_fields["trust_question"]
    trust_answer = ProfileForm.base_fields["trust_answer"]
    field_order = ["trust_question", "trust_answer", "current_password"]
    clean_trust_answer = ProfileForm.clean_trust_answer
