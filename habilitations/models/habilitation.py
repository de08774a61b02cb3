from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import ngettext

from habilitations.catalogue import ELEMENTARY_SERVICES, PAYER, PAYER_ELEMENTARY_CODES
from habilitations.catalogue import label as catalogue_label
from habilitations.choices import ADMIN_ROLES, DELEGATE_ROLES, Origin, Role, State


def _valid_service_pairs() -> Q:
    """(service, elementary service) pairs of the catalogue; 'payer'/'payer' is Payer as a whole."""
    pairs = Q(service=PAYER, elementary_service=PAYER)
    for es in ELEMENTARY_SERVICES:
        pairs |= Q(service=es.service, elementary_service=es.code)
    return pairs


class Habilitation(models.Model):
    """The right of one subscriber on one elementary service of one company, with a role.

    Administrators (AT, AS) hold a whole service: their row's elementary service is the
    service itself, so that Payer's AT/AS is one row covering its nine elementary services
    (docs/habilitations.md §2). Delegates (delegating actors, actors) hold one elementary service
    each.
    """

    # Both foreign keys are served by the composite indexes below.
    subscriber = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="habilitations",
        db_index=False,
    )
    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="habilitations", db_index=False
    )
    service = models.CharField(max_length=40)
    elementary_service = models.CharField(max_length=40)
    role = models.CharField(max_length=2, choices=Role.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    # Suspended by an administrator of the service: a delegating actor may then no longer
    # reactivate, change or remove it (it would undo an administrator's decision).
    suspended_by_admin = models.BooleanField(default=False, db_default=False)
    origin = models.CharField(max_length=15, choices=Origin.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField()
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company", "service"],
                condition=Q(role=Role.TITULAR_ADMIN),
                name="one_titular_admin_per_service",
            ),
            models.UniqueConstraint(
                fields=["company", "service"],
                condition=Q(role=Role.DEPUTY_ADMIN),
                name="one_deputy_admin_per_service",
            ),
            models.UniqueConstraint(
                fields=["company", "elementary_service", "subscriber"],
                name="one_role_per_subscriber_per_elementary_service",
            ),
            # An administrator can never be both AT and AS of one service.
            models.UniqueConstraint(
                fields=["company", "service", "subscriber"],
                condition=Q(role__in=ADMIN_ROLES),
                name="one_admin_role_per_subscriber_per_service",
            ),
            models.CheckConstraint(
                condition=_valid_service_pairs(), name="habilitation_in_catalogue"
            ),
            # Administrators hold the whole service; delegates one of Payer's nine.
            models.CheckConstraint(
                condition=Q(role__in=ADMIN_ROLES, elementary_service=F("service"))
                | Q(role__in=DELEGATE_ROLES) & ~Q(elementary_service=PAYER),
                name="admins_hold_services_delegates_elementary_services",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.TITULAR_ADMIN) | Q(state=State.ACTIVE),
                name="titular_admin_is_never_suspended",
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="habilitation_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=State.values), name="habilitation_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(origin__in=Origin.values), name="habilitation_origin_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["subscriber", "company", "state"], name="hab_subscriber_company"),
            models.Index(fields=["company", "service", "role"], name="hab_company_service"),
            models.Index(fields=["granted_by"], name="hab_granted_by"),
            # *Consulter vos services* filtered by service and/or role (issue 12 §3).
            models.Index(
                fields=["subscriber", "service", "role", "company"], name="hab_subscriber_service"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.elementary_service} ({self.company_id})"

    @property
    def held_by_an_administrators_suspension(self) -> bool:
        """Suspended by an administrator of the service: only an administrator reactivates,
        changes or removes it, and its holder cannot renounce it (docs/habilitations.md §4.5)."""
        return self.state == State.SUSPENDED and self.suspended_by_admin

    @property
    def may_be_renounced(self) -> bool:
        """Its holder may give it up (*Renoncer*): anything but a titular administrator's role,
        which only a substitution takes away, and a right an administrator suspended
        (docs/habilitations.md §4.6)."""
        return self.role != Role.TITULAR_ADMIN and not self.held_by_an_administrators_suspension

    @property
    def label(self) -> str:
        return catalogue_label(self.elementary_service)

    @property
    def elementary_codes(self) -> tuple[str, ...]:
        if self.elementary_service == PAYER:
            return PAYER_ELEMENTARY_CODES
        return (self.elementary_service,)


class PortfolioEntry(models.Model):
    """A company where a subscriber holds at least one habilitation; it is a *dossier* of their
    portfolio (docs/habilitations.md §10) when one of them is active. Kept in step with
    `Habilitation` by `habilitations.portfolio.sync` in the same transaction, so that the portfolio
    pages read one indexed range, whatever the portfolio's size."""

    # The subscriber's key is served by the composite indexes below.
    subscriber = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portfolio", db_index=False
    )
    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="+")
    identifier = models.CharField(max_length=9)
    name = models.CharField(max_length=250)
    search_name = models.CharField(max_length=250)
    titular_count = models.PositiveIntegerField(default=0)
    deputy_count = models.PositiveIntegerField(default=0)
    delegating_count = models.PositiveIntegerField(default=0)
    actor_count = models.PositiveIntegerField(default=0)
    suspended_count = models.PositiveIntegerField(default=0)
    is_dossier = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "company"], name="one_entry_per_dossier"),
            # A dossier is a company with at least one active habilitation
            # (docs/habilitations.md §10).
            models.CheckConstraint(
                condition=Q(
                    is_dossier=Q(titular_count__gt=0)
                    | Q(deputy_count__gt=0)
                    | Q(delegating_count__gt=0)
                    | Q(actor_count__gt=0)
                ),
                name="entry_is_dossier_when_active",
            ),
            models.CheckConstraint(
                condition=Q(is_dossier=True) | Q(suspended_count__gt=0),
                name="entry_has_a_habilitation",
            ),
        ]
        indexes = [
            models.Index(
                fields=["subscriber", "is_dossier", "search_name", "company"],
                name="portfolio_by_name",
            ),
            models.Index(
                fields=["subscriber", "is_dossier", "identifier"], name="portfolio_by_identifier"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.identifier})"

    @property
    def role_summary(self) -> list[tuple[str, int]]:
        counts = [
            (Role.TITULAR_ADMIN.label, self.titular_count),
            (Role.DEPUTY_ADMIN.label, self.deputy_count),
            (Role.DELEGATING_ACTOR.label, self.delegating_count),
            (Role.ACTOR.label, self.actor_count),
        ]
        return [(label, n) for label, n in counts if n]

    @property
    def roles_text(self) -> str:
        """« Administrateur titulaire (2 services), Acteur (1 service) » for the portfolio's
        column *Vos rôles* (built here: once per row, not a template tag per role)."""
        return ", ".join(
            ngettext("{role} ({count} service)", "{role} ({count} services)", n).format(
                role=label, count=n
            )
            for label, n in self.role_summary
        )
