"""Authorization (docs/habilitations.md §2): "may this subscriber do <action> on <service> for
<company>?".

Every page and every API asks `rights_on(...)` (one indexed query) and then
`Rights.allows(permission, code)`, or one of the named predicates of `Rights` (the *Gérer*
menu and the guards of the pages it leads to ask the same one); pages that need a dossier
use `web.guards.dossier_or_403`, which audits refusals.

The same query reads the company's requirement of a strong factor (`StrongFactorPolicy`,
docs/habilitations.md §14) and the holder's `Subscriber.strong_factor`: once the requirement
applies, a holder without one keeps their rows but `Rights` withholds *Payer* and every
permission to designate (`Rights.strong_factor_missing`), at every door alike.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from django.db import connection
from django.db.models import F

from accounts.models import Subscriber
from companies.models import Company
from core import clock
from habilitations.catalogue import (
    DERIVED_BY_CODE,
    ELEMENTARY_BY_CODE,
    MESSAGERIE,
    PAYER,
    PAYER_ELEMENTARY_CODES,
    SERVICES,
    SERVICES_BY_CODE,
    elementary_codes_of,
)
from habilitations.models import ADMIN_ROLES, Habilitation, Role, State, StrongFactorPolicy


class Permission(StrEnum):
    """What a role permits on a service (not to be confused with `audit.models.Action`, what
    the audit trail records)."""

    USE = "use"
    MANAGE_COMPANY_DATA = (
        "manage_company_data"  # bank accounts (Payer), company e-mail (Messagerie)
    )
    DESIGNATE_DEPUTY = "designate_deputy"
    DESIGNATE_DELEGATING_ACTOR = "designate_delegating_actor"
    DESIGNATE_ACTOR = "designate_actor"


# The table of docs/habilitations.md §2.
ROLE_RIGHTS: dict[Role, frozenset[Permission]] = {
    Role.TITULAR_ADMIN: frozenset(Permission),
    Role.DEPUTY_ADMIN: frozenset(
        {
            Permission.USE,
            Permission.MANAGE_COMPANY_DATA,
            Permission.DESIGNATE_DELEGATING_ACTOR,
            Permission.DESIGNATE_ACTOR,
        }
    ),
    Role.DELEGATING_ACTOR: frozenset({Permission.USE, Permission.DESIGNATE_ACTOR}),
    Role.ACTOR: frozenset({Permission.USE}),
}

# What a company's requirement of a strong factor withholds from a holder without one
# (docs/habilitations.md §14): *Payer* (its nine elementary services and the accesses derived
# from it), and the permissions to designate on every service.
DESIGNATING = frozenset(
    {
        Permission.DESIGNATE_DEPUTY,
        Permission.DESIGNATE_DELEGATING_ACTOR,
        Permission.DESIGNATE_ACTOR,
    }
)
PAYER_DERIVED = frozenset(d for d, a in DERIVED_BY_CODE.items() if a.requires == PAYER)
PAYER_CODES = frozenset({PAYER, *PAYER_ELEMENTARY_CODES, *PAYER_DERIVED})
DESIGNATING_ROLES = frozenset(r for r, perms in ROLE_RIGHTS.items() if perms & DESIGNATING)


@dataclass(frozen=True)
class Rights:
    """What one subscriber holds on one company: the active role per elementary service."""

    company_id: int
    roles: dict[str, Role] = field(default_factory=dict)
    # The company's requirement of a strong factor, if any (the date it applies from), whether
    # the holder has one, and so whether the requirement withholds part of these rights today.
    policy_from: date | None = None
    strong_factor: bool = False
    strong_factor_missing: bool = False

    @property
    def any(self) -> bool:
        return bool(self.roles)

    def role_on(self, elementary_code: str) -> Role | None:
        return self.roles.get(elementary_code)

    def allows(self, permission: Permission, code: str) -> bool:
        """May the holder do `permission` on this elementary service, service or derived
        access?"""
        if self.strong_factor_missing and (code in PAYER_CODES or permission in DESIGNATING):
            return False
        if code in DERIVED_BY_CODE:
            if permission != Permission.USE:
                return False
            if DERIVED_BY_CODE[code].requires == PAYER:
                return any(self.roles.get(es) for es in elementary_codes_of(PAYER))
            return self.any
        if code in ELEMENTARY_BY_CODE:
            role = self.roles.get(code)
            return role is not None and permission in ROLE_RIGHTS[role]
        if code in SERVICES_BY_CODE:
            # A service as a whole (Payer's nine): the right must hold on each of them.
            return all(self.allows(permission, es) for es in elementary_codes_of(code))
        return False

    def usable(self) -> set[str]:
        """Codes of the elementary services and derived accesses the holder may use."""
        codes = {es for es in self.roles if self.allows(Permission.USE, es)}
        codes.update(d for d in DERIVED_BY_CODE if self.allows(Permission.USE, d))
        return codes

    # The company's requirement of a strong factor (docs/habilitations.md §14): what it takes
    # away from this holder today, so that pages and the API say why rather than a bare refusal.

    @property
    def withheld_by_policy(self) -> frozenset[str]:
        """The *Payer* codes (elementary services, derived accesses) the holder would use but for
        the company's requirement of a strong factor."""
        if not self.strong_factor_missing:
            return frozenset()
        held = {es for es in self.roles if es in PAYER_CODES}
        if held:
            held.update(PAYER_DERIVED)
        return frozenset(held)

    def refusal_code(self, permission: Permission, code: str) -> str | None:
        """Why `allows` says no, when the company's requirement of a strong factor is the reason
        (`company.strong_factor_required`); None otherwise."""
        if not self.strong_factor_missing or self.allows(permission, code):
            return None
        unrestricted = replace(self, strong_factor_missing=False)
        return "company.strong_factor_required" if unrestricted.allows(permission, code) else None

    def designation_withheld(self) -> bool:
        """Would the holder designate (AT, AS, delegating actor) but for the requirement?"""
        return self.strong_factor_missing and any(
            role in DESIGNATING_ROLES for role in self.roles.values()
        )

    def concerned_by_policy(self) -> bool:
        """Does the company's requirement (applying or scheduled) concern this holder: do they
        hold a *Payer* service or a role allowing to designate?"""
        return any(
            es in PAYER_CODES or role in DESIGNATING_ROLES for es, role in self.roles.items()
        )

    # Named predicates: one expression per concept, asked by the *Gérer* menu of the dossier
    # home and by the guard of the page each entry leads to (docs/habilitations.md §2).

    def may_manage_bank_accounts(self) -> bool:
        """*Gérer les comptes bancaires de l'entreprise*: the AT or AS of Payer."""
        return self.allows(Permission.MANAGE_COMPANY_DATA, PAYER)

    def may_manage_company_email(self) -> bool:
        """*Modifier l'adresse électronique de l'entreprise*: the AT or AS of Messagerie."""
        return self.allows(Permission.MANAGE_COMPANY_DATA, MESSAGERIE)

    def deputy_services(self) -> list[str]:
        """The services whose AS the holder may designate (those of which they are the AT)."""
        return [s.code for s in SERVICES if self.allows(Permission.DESIGNATE_DEPUTY, s.code)]

    def may_manage_deputies(self) -> bool:
        """*Gérer vos administrateurs suppléants*: the AT of at least one service."""
        return bool(self.deputy_services())

    def may_delegate(self) -> bool:
        """*Gérer ou consulter vos délégations*: may designate an actor on at least one
        elementary service (an AT, an AS or a delegating actor, not suspended)."""
        return any(self.allows(Permission.DESIGNATE_ACTOR, es) for es in self.roles)

    def may_see_holders(self) -> bool:
        """*Qui a accès à cette entreprise*: the AT or AS of at least one service."""
        return any(role in ADMIN_ROLES for role in self.roles.values())

    def may_set_factor_policy(self) -> bool:
        """*Exiger une authentification forte*: the AT or AS of at least one service, unless the
        company's requirement already withholds their rights (they would lift it without the
        factor it asks for)."""
        return self.may_see_holders() and not self.strong_factor_missing


def administered_company_ids(subscriber):
    """The companies on which `subscriber` is the AT or AS of at least one service: the
    query form of `Rights.may_see_holders`, for lists across companies (a subquery)."""
    return Habilitation.objects.filter(
        subscriber=subscriber, role__in=ADMIN_ROLES, state=State.ACTIVE
    ).values("company_id")


def holders_of(company: Company):
    """*Qui a accès à cette entreprise*: every habilitation on the company, by holder's name
    (for those `Rights.may_see_holders` lets see it)."""
    return (
        Habilitation.objects.filter(company=company)
        .select_related("subscriber", "granted_by")
        .order_by("subscriber__last_name", "subscriber_id", "service", "elementary_service")
    )


def rights_of_pairs(pairs) -> dict[tuple[str, str], Rights]:
    """The active rights of many (subscriber number, company identifier) pairs in one query:
    the online services' authorization check, by batches (docs/habilitations.md §2). A pair
    whose subscriber or company is unknown, or whose space is frozen, holds no right.

    The pairs are a table of the query (`WITH pairs AS (VALUES …)`), so that each is found by
    its own index lookups (subscriber, company, then their habilitations): filtering on the
    numbers and the identifiers apart would read every habilitation of a firm of 100,000
    dossiers when a batch names its people."""
    pairs = set(pairs)
    if not pairs:
        return {}
    rows: dict[tuple[str, str], list] = {pair: [] for pair in pairs}
    companies: dict[tuple[str, str], int] = {}
    values = ", ".join(["(%s, %s)"] * len(pairs))
    params = [value for pair in sorted(pairs) for value in pair]
    habilitation, subscriber = Habilitation._meta.db_table, Subscriber._meta.db_table
    company, policy = Company._meta.db_table, StrongFactorPolicy._meta.db_table
    sql = f"""
        WITH pairs (number, identifier) AS (VALUES {values})
        SELECT s.subscriber_number, c.identifier, h.company_id, h.elementary_service, h.role,
               f.applies_from, s.strong_factor
        FROM pairs p
        JOIN {subscriber} s ON s.subscriber_number = p.number
        JOIN {company} c ON c.identifier = p.identifier
        JOIN {habilitation} h ON h.subscriber_id = s.id AND h.company_id = c.id
        LEFT JOIN {policy} f ON f.company_id = c.id
        WHERE h.state = %s AND s.frozen_at IS NULL AND s.is_active
    """  # noqa: S608 (table names from the models, values as parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, State.ACTIVE.value])
        for number, identifier, company_id, es, role, since, strong in cursor.fetchall():
            rows[(number, identifier)].append((es, role, since, strong))
            companies[(number, identifier)] = company_id
    return {pair: rights_from_rows(companies.get(pair, 0), found) for pair, found in rows.items()}


def _as_date(value) -> date | None:
    """A date column read by a raw cursor (SQLite answers a string)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def rights_from_rows(company_id: int, rows) -> Rights:
    """The `Rights` of (elementary service, role) rows, or of (elementary service, role,
    requirement's date, holder's strong factor) rows, which also say what the company's
    requirement of a strong factor withholds (docs/habilitations.md §14)."""
    roles: dict[str, Role] = {}
    policy_from, strong = None, False
    for elementary_service, role, *factor in rows:
        # Payer's administrators hold one row for the nine elementary services.
        for es in elementary_codes_of(elementary_service):
            roles[es] = Role(role)
        if factor:
            policy_from, strong = _as_date(factor[0]), bool(factor[1])
    missing = policy_from is not None and policy_from <= clock.today() and not strong
    return Rights(company_id, roles, policy_from, strong, missing)


# The columns of a habilitation row that `rights_from_rows` reads, the company's requirement of a
# strong factor and the holder's flag included (joins on primary keys).
RIGHTS_COLUMNS = (
    "elementary_service",
    "role",
    "company__strong_factor_policy__applies_from",
    "subscriber__strong_factor",
)


def rights_on(subscriber, company: Company | int) -> Rights:
    """The subscriber's active rights on a company, in one query (suspended ones grant nothing)."""
    company_id = company if isinstance(company, int) else company.pk
    if getattr(subscriber, "frozen_at", None) is not None:  # a frozen space: no right at all
        return Rights(company_id, {})
    rows = Habilitation.objects.filter(
        subscriber=subscriber, company_id=company_id, state=State.ACTIVE
    ).values_list(*RIGHTS_COLUMNS)
    return rights_from_rows(company_id, rows)


def dossier_of(subscriber, identifier: str) -> tuple[Company, Rights] | None:
    """The company with this identifier and the subscriber's active rights on it, in one query
    (the rows of `rights_on`, each with its company); None when they hold no active right there,
    whether the company exists or not (and for a frozen space, docs/backoffice.md §7)."""
    if getattr(subscriber, "frozen_at", None) is not None:
        return None
    rows = list(
        Habilitation.objects.filter(
            subscriber=subscriber, company__identifier=identifier, state=State.ACTIVE
        )
        .select_related("company")
        .only("elementary_service", "role", "company")
        .annotate(
            policy_from=F("company__strong_factor_policy__applies_from"),
            strong_factor=F("subscriber__strong_factor"),
        )
    )
    if not rows:
        return None
    company = rows[0].company
    return company, rights_from_rows(
        company.pk,
        [(r.elementary_service, r.role, r.policy_from, r.strong_factor) for r in rows],
    )


def may(subscriber, permission: Permission, code: str, company: Company | int) -> bool:
    """The one answer to "may this subscriber do <permission> on <code> for <company>?"."""
    return rights_on(subscriber, company).allows(permission, code)
