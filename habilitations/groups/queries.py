"""Reading groups of dossiers (docs/habilitations.md §13): the owner's groups, a group's
dossiers and members. The rules are in `actions.py`."""

from django.db.models import Count, Exists, OuterRef

from core.refusals import Refusal
from habilitations.models import (
    DossierGroup,
    GroupDossier,
    GroupGrant,
    GroupMember,
    Habilitation,
    Role,
    State,
)

OWNER_ROLES = (Role.TITULAR_ADMIN, Role.DEPUTY_ADMIN, Role.DELEGATING_ACTOR)


def may_own_groups(subscriber) -> bool:
    """Groups are for whoever holds dossiers as AT, AS or delegating actor (active)."""
    return Habilitation.objects.filter(
        subscriber=subscriber, role__in=OWNER_ROLES, state=State.ACTIVE
    ).exists()


def owned(owner):
    """The owner's groups with their numbers of dossiers and members (one query)."""
    return DossierGroup.objects.filter(owner=owner).annotate(
        dossier_count=Count("dossiers", distinct=True),
        member_count=Count("members", distinct=True),
    )


def get(owner, group_id: int, *, lock: bool = False) -> DossierGroup:
    """The owner's group (locked for a change), or `group.unknown`."""
    rows = DossierGroup.objects.filter(pk=group_id, owner=owner)
    group = (rows.select_for_update() if lock else rows).first()
    if group is None:
        raise Refusal("group.unknown")
    return group


def valid_links():
    """Links whose habilitation is still the very row the group gave (same key, same grant)."""
    return GroupGrant.objects.filter(
        Exists(
            Habilitation.objects.filter(
                pk=OuterRef("habilitation_id"), granted_at=OuterRef("granted_at")
            )
        )
    )


def dossiers_page(group: DossierGroup, *, limit: int = 50, query: str = ""):
    """The group's dossiers by name, at most `limit`, and how many in all (two queries)."""
    rows = GroupDossier.objects.filter(group=group).select_related("company")
    if query:
        rows = rows.filter(company__identifier__startswith=query.replace(" ", ""))
    return list(rows.order_by("company__search_name", "company_id")[:limit]), rows.count()


def members(group: DossierGroup) -> list[GroupMember]:
    """The group's members, each with `given`: how many habilitations the group gives them
    (two queries)."""
    given = dict(
        valid_links().filter(member__group=group).values_list("member_id").annotate(n=Count("id"))
    )
    rows = list(group.members.select_related("subscriber"))
    for member in rows:
        member.given = given.get(member.pk, 0)
    return rows
