"""Delegation requests (docs/habilitations.md §12): a firm asks a company's administrators to
delegate it some elementary services; they accept (all, some, a lower level) or refuse. The
flow is `habilitations/delegation_requests/actions.py`; accepting designates through
`habilitations.delegation.actions`."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core import clock
from habilitations.catalogue import label
from habilitations.choices import DELEGATE_ROLES, DelegationRequestState, Role


class DelegationRequest(models.Model):
    """One firm's request to one company for some elementary services, each at a level."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="delegation_requests",
        db_index=False,  # served by the indexes below
    )
    # The firm as its requester declared it (their space's SIREN and name), kept as asked.
    firm_identifier = models.CharField(max_length=30)
    firm_name = models.CharField(max_length=250, blank=True)
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.CASCADE,
        related_name="delegation_requests",
        db_index=False,
    )
    message = models.TextField(max_length=1000, blank=True)
    state = models.CharField(
        max_length=16,
        choices=DelegationRequestState.choices,
        default=DelegationRequestState.PENDING,
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    # Answered (accepted, refused), withdrawn or found expired at; by whom (the answer's author).
    closed_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=DelegationRequestState.values),
                name="delegation_request_state_valid",
            ),
            # One pending request per requester and company: asking again while one waits is
            # a duplicate (withdraw it to ask differently).
            models.UniqueConstraint(
                fields=["requester", "company"],
                condition=Q(state=DelegationRequestState.PENDING),
                name="one_pending_delegation_request",
            ),
            models.CheckConstraint(
                condition=Q(state=DelegationRequestState.PENDING, closed_at__isnull=True)
                | (~Q(state=DelegationRequestState.PENDING) & Q(closed_at__isnull=False)),
                name="delegation_request_closed_when_not_pending",
            ),
        ]
        indexes = [
            models.Index(fields=["requester", "-created_at"], name="ask_requester"),
            models.Index(fields=["company", "state"], name="ask_company"),
            models.Index(fields=["state", "expires_at"], name="ask_expiry"),
        ]

    def __str__(self) -> str:
        return f"Demande {self.pk} ({self.firm_identifier} → {self.company_id})"

    @property
    def lapsed(self) -> bool:
        """Pending past its deadline: expired, not yet written down (docs/durations.md §3)."""
        return self.state == DelegationRequestState.PENDING and clock.now() >= self.expires_at

    @property
    def current_state(self) -> DelegationRequestState:
        return DelegationRequestState.EXPIRED if self.lapsed else DelegationRequestState(self.state)

    @property
    def is_pending(self) -> bool:
        return self.current_state == DelegationRequestState.PENDING


class DelegationRequestItem(models.Model):
    """One elementary service asked for, at a level; what was granted once answered."""

    request = models.ForeignKey(DelegationRequest, on_delete=models.CASCADE, related_name="items")
    service = models.CharField(max_length=40)
    elementary_service = models.CharField(max_length=40)
    role = models.CharField(max_length=2, choices=Role.choices)
    # The level granted (the one asked or lower); empty when not granted.
    granted_role = models.CharField(max_length=2, choices=Role.choices, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "elementary_service"], name="one_item_per_elementary_service"
            ),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in DELEGATE_ROLES]),
                name="delegation_request_item_delegate_role",
            ),
            models.CheckConstraint(
                condition=Q(granted_role__in=["", *[r.value for r in DELEGATE_ROLES]]),
                name="delegation_request_item_granted_role",
            ),
        ]
        indexes = [models.Index(fields=["service", "request"], name="ask_item_service")]

    def __str__(self) -> str:
        return f"{self.elementary_service} {self.role}"

    @property
    def label(self) -> str:
        return label(self.elementary_service)

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def granted_label(self) -> str:
        return Role(self.granted_role).label if self.granted_role else ""


class FirmBlock(models.Model):
    """A company's administrator blocked further requests from a requesting space
    (docs/habilitations.md §12.5). The firm SIREN and name the space declared are kept to show,
    never matched: a block on every space declaring a SIREN would let anyone declaring a real
    firm's SIREN get that firm blocked."""

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    firm_identifier = models.CharField(max_length=30)
    firm_name = models.CharField(max_length=250, blank=True)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    blocked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company", "requester"], name="one_block_per_requester_and_company"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requester_id} ({self.firm_identifier}) bloqué par {self.company_id}"
