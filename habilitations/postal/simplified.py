"""Creating a space in simplified mode (docs/accounts.md §13, docs/habilitations.md §9): one person,
alone, for their own company. Identifiers, form and SIREN; a link to the company e-mail (72 hours);
then a letter to the company with a code (60 days), which creates the space and makes the person the
AT of every service of the company still without AT."""

from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction

from accounts import throttle
from accounts.flows.registration import (
    RegistrationData,
    discard_expired,
    registration_email_problem,
)
from accounts.flows.space_activation import activate_space, create_subscriber
from accounts.models import Identity, PendingRegistration
from accounts.passwords import password_errors
from accounts.trust import hash_answer
from audit.models import Action
from audit.trail import record
from companies.bank import BankDetails
from companies.identifiers import normalize_company_identifier
from companies.lookup import company_by_identifier
from companies.models import Company
from core import clock
from core.refusals import Refusal
from core.text import normalize_email
from habilitations.catalogue import PAYER, SERVICES
from habilitations.models import RequestKind, SimplifiedRegistration
from habilitations.postal import actions as postal
from habilitations.postal import activation as services_activation
from habilitations.postal import letters as postal_letters
from habilitations.postal.adhesion import needs_bank_account


def free_services(company: Company) -> list[str]:
    """The services of the company nobody manages (no AT), in the catalogue's order: those the
    simplified mode gives (docs/accounts.md §13.3)."""
    managed = postal.titulars(company)
    return [s.code for s in SERVICES if s.code not in managed]


def managed_services(company: Company) -> list[str]:
    """The services of the company that already have an AT: the simplified mode leaves them."""
    managed = postal.titulars(company)
    return [s.code for s in SERVICES if s.code in managed]


def check_company(raw_identifier: str) -> Company:
    """The company of a simplified-mode creation: known, with at least one service nobody
    manages (the mode gives those, docs/accounts.md §13.3). When every service has an AT the
    mode would bring nothing: the refusal says which path to take instead."""
    try:
        identifier = normalize_company_identifier(raw_identifier)
    except Refusal as refusal:
        raise Refusal(refusal.code, field="company") from refusal
    company = company_by_identifier(identifier)
    if company is None:
        raise Refusal("company.unknown", field="company")
    if not free_services(company):
        raise Refusal("registration.all_services_managed", field="company")
    return company


def needs_bank(company: Company) -> bool:
    """Payer is among the services given (nobody manages it): an account is asked unless an
    active one is known."""
    return PAYER in free_services(company) and needs_bank_account(company, [PAYER])


def email_pending(email: str) -> bool:
    """An unexpired simplified-mode creation holds its login e-mail (one e-mail = one space)."""
    return SimplifiedRegistration.objects.unexpired(clock.now()).filter(email=email).exists()


def is_pending(email: str) -> bool:
    """Whether an activation with this e-mail is for a simplified-mode creation (an expert-mode
    pending registration, which can only be newer, comes first)."""
    email = normalize_email(email)
    return (
        SimplifiedRegistration.objects.filter(email=email).exists()
        and not PendingRegistration.objects.filter(email=email, expires_at__gt=clock.now()).exists()
    )


@dataclass
class SimplifiedData:
    registration: RegistrationData
    company_identifier: str
    company_email: str
    general_information: bool
    bank: BankDetails | None


def submit_simplified(data: SimplifiedData, *, link_for):
    """Record the creation and e-mail the link to the company address, in one transaction."""
    registration = data.registration.with_clean_names()
    email = normalize_email(registration.email)
    names = (registration.last_name, registration.first_name)
    if errors := password_errors(registration.password, email=email, names=names):
        raise Refusal("registration.weak_password", errors[0], field="password1")
    company = check_company(data.company_identifier)
    if not data.company_email:
        raise Refusal("registration.company_email_needed", field="company_email")
    bank = data.bank if needs_bank(company) else None
    if needs_bank(company) and bank is None:
        raise Refusal("registration.bank_needed", field="iban")
    try:
        with (
            postal.refusals_audited(RequestKind.SIMPLIFIED, company.identifier),
            transaction.atomic(),
        ):
            discard_expired(email)  # a lapsed expert-mode registration gives way
            if problem := registration_email_problem(email):
                raise Refusal("registration.email_taken", problem, field="email")
            # An earlier creation with this e-mail that lapsed gives way.
            SimplifiedRegistration.objects.filter(email=email).delete()
            # The services nobody manages now: asking for the others would withdraw their
            # open substitutions (docs/habilitations.md §6.8) for nothing.
            services = free_services(company)
            if not services:
                raise Refusal("registration.all_services_managed", field="company")
            req, _ = postal.create(
                RequestKind.SIMPLIFIED,
                company,
                services,
                company_email=normalize_email(data.company_email),
                general_information=data.general_information,
                bank=bank,
            )
            identity = {
                f.name: getattr(registration, f.name)
                for f in Identity._meta.local_fields
                if hasattr(registration, f.name)
            }
            SimplifiedRegistration.objects.create(
                **{**identity, "email": email},
                trust_answer_hash=hash_answer(registration.trust_answer),
                password_hash=make_password(registration.password),
                request=req,
            )
            postal_letters.send_link(req, link_for)
    except IntegrityError as exc:
        raise Refusal("registration.email_taken", field="email") from exc
    return req


def activate(email: str, code: str, *, password: str = ""):
    """The letter's code, with the login e-mail and the chosen password: the space exists and
    its holder is the AT of every service of the company still free. Single use; 5 wrong codes
    kill the request. The password comes first, so that nobody else can spend those tries; its
    failures count like failed logins (`accounts.throttle`)."""
    email = normalize_email(email)
    if throttle.is_locked(email):
        raise Refusal("activation.locked", field="code")
    registration = SimplifiedRegistration.objects.filter(email=email).first()
    if registration is None or not check_password(password, registration.password_hash):
        throttle.count_failure(email)
        record(Action.SPACE_ACTIVATION_FAILED, target=email, reason="password")
        raise Refusal("activation.wrong_password", field="code")
    with transaction.atomic():
        registration = SimplifiedRegistration.objects.filter(email=email).first()
        req = postal.locked(registration.request_id) if registration else None
        refusal = (
            postal.code_refusal(req, code)
            if req
            else Refusal("activation.wrong_code", field="code")
        )
        if refusal is None:
            identity = {f.name: getattr(registration, f.name) for f in Identity._meta.local_fields}
            subscriber = create_subscriber(identity, registration.password_hash)
            registration.delete()
            req.requester = subscriber
            req.save(update_fields=["requester"])
            services_activation.complete(req, subscriber)
            return subscriber
    postal.record_code_failure(req, refusal)
    record(Action.SPACE_ACTIVATION_FAILED, target=email, reason=refusal.message)
    raise refusal


def activate_pending_space(email: str, code: str, *, password: str = ""):
    """*Activer mon espace*: a pending registration of either mode becomes a space. A
    registration in simplified mode is activated by its letter's code and the password the
    person chose (docs/accounts.md §13): only they can spend the letter's tries."""
    if is_pending(normalize_email(email)):
        return activate(normalize_email(email), code, password=password)
    return activate_space(email, code, password=password)
