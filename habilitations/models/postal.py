"""Requests for services obtained by postal letter (docs/habilitations.md §7, §8,
docs/accounts.md §13): adhesion, substitution and the simplified mode. The flows that move
them are in `habilitations/postal/`.

A request is never exclusive: several subscribers may ask for the same service of the same
company at once; the company decides by handing its letter to one of them
(docs/habilitations.md §7).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from accounts.models import Identity
from core.dates import date_at_time, short_date
from habilitations.catalogue import SERVICES, label
from habilitations.choices import OPEN_STATES, RequestKind, RequestState


class PostalRequest(models.Model):
    """One request for one company and one or several services, activated by the code of a
    letter sent to the company's fiscal address."""

    kind = models.CharField(max_length=15, choices=RequestKind.choices)
    # Empty only for the simplified mode, whose space exists once the code is entered.
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="postal_requests",
        db_index=False,  # served by the indexes below
    )
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.CASCADE,
        related_name="postal_requests",
        db_index=False,
    )
    # Codes of services of the catalogue (Payer as a whole).
    services = models.JSONField(default=list)
    state = models.CharField(max_length=20, choices=RequestState.choices)
    created_at = models.DateTimeField()
    # The company e-mail and its 72-hour link (Messagerie, simplified mode).
    company_email = models.EmailField(max_length=100, blank=True)
    general_information = models.BooleanField(default=False)
    # The link's URL carries this random id, never the request's key (docs/security.md §5).
    email_link_id = models.CharField(max_length=22, unique=True, null=True, blank=True)
    email_token_hash = models.CharField(max_length=64, blank=True)
    email_link_expires_at = models.DateTimeField(null=True, blank=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    # The bank account given for Payer when the company had no active one.
    bank_iban = models.CharField(max_length=34, blank=True)
    bank_bic = models.CharField(max_length=11, blank=True)
    bank_holder = models.CharField(max_length=70, blank=True)
    # The letter and its code, valid 60 days.
    letter = models.ForeignKey(
        "correspondence.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    code_hash = models.CharField(max_length=64, blank=True)
    letter_sent_at = models.DateTimeField(null=True, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    # Activated, withdrawn, expired or blocked at.
    closed_at = models.DateTimeField(null=True, blank=True)
    granted = models.JSONField(default=list, blank=True)
    not_granted = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "demande par courrier"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RequestKind.values), name="postal_request_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=RequestState.values), name="postal_request_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(requester__isnull=False) | Q(kind=RequestKind.SIMPLIFIED),
                name="postal_request_has_requester",
            ),
            models.CheckConstraint(
                condition=~Q(state=RequestState.AWAITING_EMAIL)
                | (~Q(company_email="") & Q(email_link_expires_at__isnull=False)),
                name="postal_request_link_has_address",
            ),
            # A code exists exactly when a letter went out.
            models.CheckConstraint(
                condition=Q(letter_sent_at__isnull=True, code_hash="", code_expires_at=None)
                | (
                    Q(letter_sent_at__isnull=False, code_expires_at__isnull=False)
                    & ~Q(code_hash="")
                ),
                name="postal_request_letter_has_code",
            ),
        ]
        indexes = [
            models.Index(fields=["requester", "-created_at"], name="postal_request_requester"),
            models.Index(fields=["company", "state"], name="postal_request_company"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.company_id} ({self.state})"

    @property
    def deadline(self):
        """When the open step ends: the link (72 hours), then the code (60 days)."""
        if self.state == RequestState.AWAITING_EMAIL:
            return self.email_link_expires_at
        if self.state == RequestState.LETTER_SENT:
            return self.code_expires_at
        return None

    def is_expired(self, now) -> bool:
        """Expired the moment its deadline passes, whether or not anyone looked
        (docs/durations.md §1)."""
        return self.state in OPEN_STATES and self.deadline <= now

    def status(self, now) -> RequestState:
        return RequestState.EXPIRED if self.is_expired(now) else RequestState(self.state)

    def status_text(self, now) -> str:
        """The state in the words of *Suivre vos adhésions*."""
        status = self.status(now)

        if status == RequestState.AWAITING_EMAIL:
            return (
                "En attente de la confirmation de l'adresse électronique de l'entreprise "
                f"(lien à suivre avant le {date_at_time(self.email_link_expires_at)})"
            )
        if status == RequestState.LETTER_SENT:
            return (
                f"Courrier envoyé le {short_date(self.letter_sent_at)} — "
                f"à activer avant le {date_at_time(self.code_expires_at)}"
            )
        if status == RequestState.ACTIVATED:
            return f"Activée le {date_at_time(self.closed_at)}"
        if status == RequestState.WITHDRAWN:
            return f"Supprimée le {date_at_time(self.closed_at)}"
        if status == RequestState.EXPIRED:
            return f"Expirée le {date_at_time(self.deadline or self.closed_at)}"
        return status.label

    def can_be_withdrawn(self, now) -> bool:
        return self.status(now) in OPEN_STATES

    @property
    def service_labels(self) -> list[str]:
        return [label(code) for code in ordered(self.services)]

    @property
    def granted_labels(self) -> list[str]:
        return [label(code) for code in ordered(self.granted)]

    @property
    def not_granted_labels(self) -> list[str]:
        return [label(code) for code in ordered(self.not_granted)]


def ordered(codes) -> list[str]:
    """Service codes in the catalogue's order."""
    wanted = set(codes)
    return [s.code for s in SERVICES if s.code in wanted]


class SimplifiedRegistrationQuerySet(models.QuerySet):
    def unexpired(self, now) -> "SimplifiedRegistrationQuerySet":
        """Creations still under way: their e-mail is taken (one e-mail = one space,
        docs/accounts.md §2)."""
        return self.filter(
            Q(request__state=RequestState.AWAITING_EMAIL, request__email_link_expires_at__gt=now)
            | Q(request__state=RequestState.LETTER_SENT, request__code_expires_at__gt=now)
        )


class SimplifiedRegistration(Identity):
    """The identity of someone creating a space in simplified mode (docs/accounts.md §13), kept with
    their request until the letter's code is entered: like an expert-mode pending registration, it
    is not a space (no login, no number)."""

    password_hash = models.CharField(max_length=200)
    request = models.OneToOneField(
        PostalRequest, on_delete=models.CASCADE, related_name="simplified_registration"
    )

    objects = SimplifiedRegistrationQuerySet.as_manager()

    @classmethod
    def holds_email(cls, email: str, now) -> bool:
        """Is a simplified-mode creation under way with this login e-mail?"""
        return cls.objects.unexpired(now).filter(email=email).exists()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(email=Lower("email")),
                name="simplified_email_lowercase",
            )
        ]

    def __str__(self) -> str:
        return f"Création en mode simplifié de {self.email}"
