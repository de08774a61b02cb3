"""Groups of dossiers for a firm's staff (docs/habilitations.md §13): an administrator of a
firm's dossiers names a group of them and gives collaborators a level on every dossier of the
group. The flow is `habilitations/groups/`; it designates through
`habilitations.delegation.actions`.

What a group gave is exact: `GroupGrant` links a member to each habilitation the group
created for them (or that another group had created and this one would have given too); a
habilitation the collaborator held otherwise is never linked, so removing a member or a
dossier withdraws only habilitations no group gives any more and which a group created.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from habilitations.catalogue import label
from habilitations.choices import DELEGATE_ROLES, Role


class DossierGroup(models.Model):
    """A named set of the owner's dossiers."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dossier_groups"
    )
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="one_group_name_per_owner")
        ]

    def __str__(self) -> str:
        return self.name


class GroupDossier(models.Model):
    group = models.ForeignKey(DossierGroup, on_delete=models.CASCADE, related_name="dossiers")
    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "company"], name="one_dossier_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.group_id}:{self.company_id}"


class GroupMember(models.Model):
    """A collaborator given `role` on `codes` (elementary services) on every dossier."""

    group = models.ForeignKey(DossierGroup, on_delete=models.CASCADE, related_name="members")
    subscriber = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    role = models.CharField(max_length=2, choices=Role.choices)
    codes = models.JSONField(default=list)
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "subscriber"], name="one_membership_per_group"
            ),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in DELEGATE_ROLES]),
                name="group_member_delegate_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subscriber_id} in {self.group_id}"

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def service_labels(self) -> list[str]:
        return [label(code) for code in self.codes]


class GroupGrant(models.Model):
    """This membership gives this habilitation: its row and version (its key and grant time).

    Not a foreign key on purpose: one would make every deletion of a habilitation, anywhere,
    collect these rows first (an extra read and batched deletes). A habilitation changed by
    anyone else is a new row (`changes.grant` replaces, never updates), removed is no row: either
    way the link no longer matches and the group no longer claims it (`groups.valid_links`).
    Stale links go with their member, dossier or group."""

    member = models.ForeignKey(GroupMember, on_delete=models.CASCADE, related_name="grants")
    habilitation_id = models.BigIntegerField()
    granted_at = models.DateTimeField()
    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "habilitation_id"], name="one_grant_per_member_and_habilitation"
            )
        ]
        indexes = [
            models.Index(fields=["member", "company"], name="group_grant_member_company"),
            models.Index(fields=["habilitation_id"], name="group_grant_habilitation"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.habilitation_id}"
