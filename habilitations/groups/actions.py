"""Groups of dossiers for a firm's staff (docs/habilitations.md §13).

The rules, in words:
- whoever holds dossiers as AT, AS or delegating actor may name groups of their own dossiers
  (by hand, by a search of their portfolio, by a CSV of SIRENs);
- adding a collaborator to a group gives them a level on some elementary services on every
  dossier of the group, in one action, through `delegation_many.designate_many` (the owner's own
  rights decide, company by company); a dossier added later is delegated to the members at once;
- a group only adds: where the collaborator already holds a role on an elementary service, it is
  left as it is, and not counted as the group's;
- removing a member, a dossier or the group withdraws what the group gave (`GroupGrant`), and only
  that: a habilitation another group also gives stays, one the collaborator had anyway was never
  the group's, one someone else changed since is a new row no group claims.

Every action is one transaction, under the group's row lock, in a number of queries that does not
grow with the number of dossiers (one e-mail per collaborator concerned).
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef

from audit.models import Action
from audit.trail import record
from companies.models import Company
from core import clock
from core.refusals import Refusal
from habilitations.delegation import many as delegation_many
from habilitations.delegation.many import BulkPlan
from habilitations.groups.queries import get, valid_links
from habilitations.models import (
    DELEGATE_ROLES,
    DossierGroup,
    GroupDossier,
    GroupGrant,
    GroupMember,
    Habilitation,
    PortfolioEntry,
    Role,
)
from habilitations.portfolio import queries as portfolio

WITHDRAWN_EMAIL = "group_delegations_withdrawn"


@transaction.atomic
def create(owner, name: str) -> DossierGroup:
    """*Créer un groupe*: a name of the owner's own (unique among their groups)."""
    name = " ".join(name.split())
    try:
        with transaction.atomic():
            group = DossierGroup.objects.create(owner=owner, name=name, created_at=clock.now())
    except IntegrityError:
        raise Refusal("group.name_taken", field="name", name=name) from None
    record(Action.GROUP_CREATED, actor=owner, target=name, group_id=group.pk)
    return group


@dataclass
class Added:
    """What adding dossiers did: the companies added, the ones refused (and why), and what
    each member was given."""

    companies: list[Company] = field(default_factory=list)
    refused: list[tuple[str, Refusal]] = field(default_factory=list)
    plans: list[tuple[GroupMember, BulkPlan]] = field(default_factory=list)


def own_dossiers(owner, identifiers: list[str]) -> tuple[list[Company], list[tuple[str, Refusal]]]:
    """The owner's dossiers among these identifiers (one query); the others refused."""
    entries = {
        e.identifier: e.company
        for e in PortfolioEntry.objects.filter(
            subscriber=owner, is_dossier=True, identifier__in=identifiers
        ).select_related("company")
    }
    found, refused = [], []
    for identifier in dict.fromkeys(identifiers):
        if identifier in entries:
            found.append(entries[identifier])
        else:
            refused.append((identifier, Refusal("group.not_a_dossier")))
    return found, refused


@transaction.atomic
def add_dossiers(owner, group_id: int, identifiers: list[str]) -> Added:
    """Add the owner's dossiers with these identifiers (by hand, or the lines of a CSV)."""
    group = get(owner, group_id, lock=True)
    companies, refused = own_dossiers(owner, identifiers)
    return _add(owner, group, companies, refused)


@transaction.atomic
def add_by_search(owner, group_id: int, query: str) -> Added:
    """Add every dossier of the owner's portfolio that a search finds (docs/habilitations.md
    §10.2)."""
    group = get(owner, group_id, lock=True)
    ids = portfolio.search(owner, query).values("company_id")
    return _add(owner, group, list(Company.objects.filter(pk__in=ids)), [])


def _add(owner, group: DossierGroup, companies: list[Company], refused) -> Added:
    present = set(
        GroupDossier.objects.filter(group=group, company__in=companies).values_list(
            "company_id", flat=True
        )
    )
    result = Added(refused=refused)
    for company in companies:
        if company.pk in present:
            result.refused.append((company.identifier, Refusal("group.already_in")))
        else:
            result.companies.append(company)
    now = clock.now()
    GroupDossier.objects.bulk_create(
        GroupDossier(group=group, company=company, added_at=now) for company in result.companies
    )
    if result.companies:
        record(
            Action.GROUP_DOSSIERS_ADDED,
            actor=owner,
            target=group.name,
            group_id=group.pk,
            companies=[c.identifier for c in result.companies],
        )
        for member in group.members.select_related("subscriber"):
            result.plans.append((member, _give(owner, member, result.companies)))
    return result


def _give(owner, member: GroupMember, companies: list[Company]) -> BulkPlan:
    """Delegate the member's level on these companies, through the bulk delegation, leaving
    what they already hold; link what the group gives (created now, or given by another group
    at the same level)."""
    plan = delegation_many.designate_many(
        owner, member.subscriber, Role(member.role), member.codes, companies, keep_held=True
    )
    created = [h.pk for h in plan.granted]
    shared = (
        Habilitation.objects.filter(
            subscriber=member.subscriber,
            company__in=companies,
            elementary_service__in=member.codes,
            role=member.role,
        )
        .filter(
            Exists(
                valid_links().filter(
                    habilitation_id=OuterRef("pk"), granted_at=OuterRef("granted_at")
                )
            )
        )
        .exclude(pk__in=created)
        .values_list("pk", "granted_at", "company_id")
    )
    links = [(h.pk, h.granted_at, h.company_id) for h in plan.granted] + list(shared)
    GroupGrant.objects.bulk_create(
        [
            GroupGrant(member=member, habilitation_id=pk, granted_at=at, company_id=company_id)
            for pk, at, company_id in links
        ],
        ignore_conflicts=True,
    )
    return plan


@transaction.atomic
def add_member(owner, group_id: int, subscriber, role: Role, codes: list[str]):
    """Give a collaborator `role` on `codes` on every dossier of the group, in one action."""
    group = get(owner, group_id, lock=True)
    role = Role(role)
    if role not in DELEGATE_ROLES:
        raise Refusal("delegation.choose_level")
    codes = list(dict.fromkeys(codes))
    try:
        with transaction.atomic():
            member = GroupMember.objects.create(
                group=group, subscriber=subscriber, role=role, codes=codes, added_at=clock.now()
            )
    except IntegrityError:
        raise Refusal("group.already_member", field="number") from None
    companies = list(Company.objects.filter(pk__in=group.dossiers.values("company_id")))
    plan = _give(owner, member, companies)
    record(
        Action.GROUP_MEMBER_ADDED,
        actor=owner,
        target=group.name,
        group_id=group.pk,
        subscriber=subscriber.subscriber_number,
        role=role,
        codes=codes,
        granted=len(plan.granted),
    )
    return member, plan


def _withdraw(owner, group: DossierGroup, grants) -> tuple[int, list[Habilitation]]:
    """Forget these links; withdraw the habilitations they gave that no group gives any more
    (a constant number of queries)."""
    links = set(grants.values_list("habilitation_id", "granted_at"))
    grants.delete()
    ids = {pk for pk, _ in links}
    still_given = set(valid_links().filter(habilitation_id__in=ids).values_list("habilitation_id"))
    orphans = [
        pk
        for pk, granted_at in Habilitation.objects.filter(pk__in=ids).values_list(
            "pk", "granted_at"
        )
        if (pk, granted_at) in links and (pk,) not in still_given
    ]
    return delegation_many.withdraw_these(
        owner, orphans, email_template=WITHDRAWN_EMAIL, context={"group": group}
    )


@transaction.atomic
def remove_member(owner, group_id: int, member_id: int) -> tuple[int, list[Habilitation]]:
    """Remove a collaborator: what the group gave them is withdrawn, and only that."""
    group = get(owner, group_id, lock=True)
    member = group.members.select_related("subscriber").filter(pk=member_id).first()
    if member is None:
        raise Refusal("group.unknown")
    removed, kept = _withdraw(owner, group, GroupGrant.objects.filter(member=member))
    record(
        Action.GROUP_MEMBER_REMOVED,
        actor=owner,
        target=group.name,
        group_id=group.pk,
        subscriber=member.subscriber.subscriber_number,
        withdrawn=removed,
    )
    member.delete()
    return removed, kept


@transaction.atomic
def remove_dossiers(owner, group_id: int, company_ids: list[int]) -> tuple[int, int]:
    """Take dossiers out of the group: what the group gave on them is withdrawn from its
    members. Returns (dossiers removed, delegations withdrawn)."""
    group = get(owner, group_id, lock=True)
    rows = GroupDossier.objects.filter(group=group, company_id__in=company_ids)
    identifiers = list(rows.values_list("company__identifier", flat=True))
    if not identifiers:
        return 0, 0
    removed, _ = _withdraw(
        owner,
        group,
        GroupGrant.objects.filter(member__group=group, company_id__in=company_ids),
    )
    rows.delete()
    record(
        Action.GROUP_DOSSIERS_REMOVED,
        actor=owner,
        target=group.name,
        group_id=group.pk,
        companies=identifiers,
        withdrawn=removed,
    )
    return len(identifiers), removed


@transaction.atomic
def delete(owner, group_id: int) -> int:
    """Delete the group: what it gave is withdrawn from every member."""
    group = get(owner, group_id, lock=True)
    removed, _ = _withdraw(owner, group, GroupGrant.objects.filter(member__group=group))
    record(Action.GROUP_DELETED, actor=owner, target=group.name, withdrawn=removed)
    group.delete()
    return removed
