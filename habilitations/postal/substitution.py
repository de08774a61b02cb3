"""Substitution (docs/habilitations.md §8): asking to replace the AT of one or
several services of one company in one request. The letter goes to the company at once; the current
AT is told by e-mail when it is asked and when it is done."""

from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from companies.models import Company
from core import clock
from core.refusals import Refusal
from correspondence.mail import send_email
from habilitations.catalogue import label
from habilitations.models import Origin, PostalRequest, RequestKind, ordered
from habilitations.postal import actions as postal
from habilitations.postal import letters as postal_letters
from habilitations.rights.actions import replace_titular


def _tell_titulars(template: str, req: PostalRequest, by_titular: dict) -> None:
    for titular, services in by_titular.items():
        send_email(
            template,
            titular.email,
            {
                "titular": titular,
                "requester": req.requester,
                "company": req.company,
                "services": [label(s) for s in ordered(services)],
                "request": req,
                # When the code was typed (the request is closed after this notice is written).
                "at": timezone.localtime(req.closed_at or clock.now()),
            },
        )


def substitution_problems(subscriber, company: Company, services: list[str]) -> list[Refusal]:
    """Every reason to refuse this substitution, not only the first (docs/habilitations.md §8):
    a form shows them all at once. Empty when it may be recorded."""
    services, refused = postal.services_asked(services)
    if refused:
        return [refused]
    problems = []
    titulars = postal.titulars(company)
    for service in services:
        titular = titulars.get(service)
        if titular is None:
            problems.append(
                Refusal("substitution.no_titular", field="services", service=label(service))
            )
        elif titular == subscriber:
            problems.append(
                Refusal("postal.already_yours", field="services", service=label(service))
            )
    return problems


def submit_substitution(
    subscriber,
    company: Company,
    services: list[str],
) -> PostalRequest:
    """Record a substitution request for services that have an AT (Payer as a whole); the
    letter goes out and the current ATs are told, in the same transaction. Refused with the
    first of `substitution_problems`."""
    services = list(dict.fromkeys(services))
    problems = substitution_problems(subscriber, company, services)
    if problems:
        raise problems[0]
    titulars = postal.titulars(company)
    by_titular = defaultdict(list)
    for service in services:
        by_titular[titulars[service]].append(service)
    with (
        postal.refusals_audited(RequestKind.SUBSTITUTION, company.identifier, subscriber),
        transaction.atomic(),
    ):
        req, new = postal.create(RequestKind.SUBSTITUTION, company, services, requester=subscriber)
        if new:  # else the same request sent again: answered with the first (§6.8)
            postal_letters.send_code_letter(req)
            _tell_titulars("substitution_requested", req, by_titular)
    return req


def complete_substitution(req: PostalRequest, subscriber) -> tuple[list[str], list[str]]:
    """The code was right: the requester becomes AT of each service, the former AT loses that
    role only and is told. Returns (granted, not granted)."""
    granted, not_granted = [], []
    by_former = defaultdict(list)
    for service in req.services:
        try:
            _, former = replace_titular(
                req.company,
                service,
                subscriber,
                Origin.SUBSTITUTION,
                by=subscriber,
            )
        except Refusal:
            not_granted.append(service)
            continue
        granted.append(service)
        if former is not None:
            by_former[former].append(service)
    _tell_titulars("substitution_done", req, by_former)
    return granted, not_granted
