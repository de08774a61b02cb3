"""Factories for the tests of every app: import them from here (never from a conftest).

Habilitations and postal requests are made through the domain's own functions (grant, set_state,
submit_adhesion, submit_substitution), so what a factory builds is what the portal would have
built: audit trail, portfolio, letters and e-mails included."""

from datetime import UTC, datetime, timedelta

import factory
from django.conf import settings
from django.contrib.auth.hashers import make_password
from stdnum import luhn

from accounts.models import Subscriber
from accounts.trust import hash_answer
from companies.models import Company
from companies.names import search_key
from core import clock
from habilitations.company_data import email as company_email
from habilitations.models import (
    ADMIN_ROLES,
    Habilitation,
    Origin,
    PostalRequest,
    RequestKind,
    Role,
    State,
)
from habilitations.portfolio import sync as portfolio_sync
from habilitations.postal.adhesion import submit_adhesion
from habilitations.postal.substitution import submit_substitution
from habilitations.rights.actions import grant, set_state
from tests.helpers import PASSWORD, link_for


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber
        skip_postgeneration_save = True

    class Params:
        # How long from now until the password expires (negative: expired that long ago).
        expires_in = None
        expired = factory.Trait(expires_in=timedelta(days=-1))
        expiring_soon = factory.Trait(expires_in=timedelta(days=30))

    email = factory.Sequence(lambda n: f"abonne{n}@example.fr")
    subscriber_number = factory.Sequence(lambda n: f"2026{7_350_000_000 + n * 7919:010d}")
    civility = "MME"
    last_name = "Rosemonde"
    first_name = "Lila"
    company_identifier = "987654324"
    company_name = "SARLALERIS"
    phone = "01 24 57 88 77"
    city = "PARIS"
    trust_question = "animal"
    trust_answer_hash = factory.LazyFunction(lambda: hash_answer("Lili"))
    registered_at = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    password_changed_at = factory.LazyAttribute(
        lambda o: (
            datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
            if o.expires_in is None
            else clock.now() + o.expires_in - settings.PASSWORD_VALIDITY
        )
    )
    password = factory.LazyFunction(lambda: make_password(PASSWORD))


def siren(n: int) -> str:
    """A valid SIREN (Luhn key) made from a number below 10**8."""
    base = f"{n:08d}"
    return base + luhn.calc_check_digit(base)


class CompanyFactory(factory.django.DjangoModelFactory):
    """A company of the registry; `with_fiscal_address` gives it the address letters go to,
    `email_address="…"` a confirmed company e-mail address."""

    class Meta:
        model = Company
        skip_postgeneration_save = True

    class Params:
        with_fiscal_address = factory.Trait(
            street_line="45 AVENUE JEAN JAURES", postal_code="33000", city="BORDEAUX"
        )

    identifier = factory.Sequence(lambda n: siren(40_000_000 + n))
    name = factory.Sequence(lambda n: f"SOCIETE {n:05d}")

    @factory.post_generation
    def email_address(company, create, extracted, **kwargs):
        if create and extracted:
            company_email.set_address(
                company, extracted, general_information=kwargs.get("general_information", True)
            )


class HabilitationFactory(factory.django.DjangoModelFactory):
    """A habilitation granted through habilitations.rights.actions.grant: `titular_admin` (the
    default), `deputy_admin`, `delegating_actor` or `actor`; `payer` for Payer (the whole service
    for an administrator, "Payer TVA" for a delegate); `suspended` (by `by`) after the grant.
    `code` is the service or elementary service, `by` who granted it."""

    class Meta:
        model = Habilitation

    class Params:
        titular_admin = factory.Trait(role=Role.TITULAR_ADMIN)
        deputy_admin = factory.Trait(role=Role.DEPUTY_ADMIN)
        delegating_actor = factory.Trait(role=Role.DELEGATING_ACTOR)
        actor = factory.Trait(role=Role.ACTOR)
        payer = factory.Trait(
            code=factory.LazyAttribute(lambda o: "payer" if o.role in ADMIN_ROLES else "payer_tva")
        )
        suspended = factory.Trait(state=State.SUSPENDED)

    company = factory.SubFactory(CompanyFactory)
    subscriber = factory.SubFactory(SubscriberFactory)
    code = "declarer_tva"
    role = Role.TITULAR_ADMIN
    origin = factory.LazyAttribute(
        lambda o: Origin.ADHESION if o.role == Role.TITULAR_ADMIN else Origin.DELEGATION
    )
    by = None
    state = State.ACTIVE

    @classmethod
    def _create(cls, model_class, *, company, subscriber, code, role, origin, by, state):
        habilitation = grant(company, subscriber, code, role, origin, by=by)
        if state != State.ACTIVE:
            habilitation = set_state(habilitation, state, by=by)
        return habilitation


class PostalRequestFactory(factory.django.DjangoModelFactory):
    """A request obtained by letter, submitted through its flow (letter, e-mails, audit):
    `adhesion` (the default) or `substitution` (the company's services must have an AT). Without
    Messagerie its letter goes out at once (state LETTER_SENT); `awaiting_email` asks for
    Messagerie with the company's address, so it waits for the company to follow its link."""

    class Meta:
        model = PostalRequest

    class Params:
        adhesion = factory.Trait(kind=RequestKind.ADHESION)
        substitution = factory.Trait(kind=RequestKind.SUBSTITUTION)
        awaiting_email = factory.Trait(
            services=factory.LazyFunction(lambda: ["messagerie"]),
            company_email=factory.LazyAttribute(
                lambda o: f"contact@{o.company.identifier}.example"
            ),
        )

    kind = RequestKind.ADHESION
    requester = factory.SubFactory(SubscriberFactory)
    company = factory.SubFactory(CompanyFactory, with_fiscal_address=True)
    services = factory.LazyFunction(lambda: ["declarer_tva"])
    company_email = ""

    @classmethod
    def _create(cls, model_class, *, kind, requester, company, services, company_email, **extra):
        if kind == RequestKind.SUBSTITUTION:
            return submit_substitution(requester, company, list(services), **extra)
        return submit_adhesion(
            requester,
            company,
            list(services),
            company_email=company_email,
            link_for=link_for,
            **extra,
        )


def bulk_portfolio(
    subscriber, size: int, start: int = 100, name: str = "SOCIETE {n:05d}"
) -> list[Company]:
    """`size` companies where `subscriber` is AT of Déclarer TVA, inserted in bulk (a firm's
    portfolio in a few queries), named after `name` (formatted with n = start…) in order."""
    template = name
    companies = []
    for n in range(start, start + size):
        base = f"{40000000 + n:08d}"
        name = template.format(n=n)
        companies.append(
            Company(
                identifier=base + luhn.calc_check_digit(base),
                name=name,
                search_name=search_key(name),
            )
        )
    companies = Company.objects.bulk_create(companies)
    now = clock.now()
    Habilitation.objects.bulk_create(
        Habilitation(
            subscriber=subscriber,
            company=c,
            service="declarer_tva",
            elementary_service="declarer_tva",
            role=Role.TITULAR_ADMIN,
            origin=Origin.ADHESION,
            granted_at=now,
            changed_at=now,
        )
        for c in companies
    )
    portfolio_sync.rebuild_all()
    return companies
