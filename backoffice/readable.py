"""What an agent reads where the rows hold codes (docs/backoffice.md §3.4): the labels of
services, roles, legal categories and API scopes, and a name beside every subscriber number and
company identifier of an audit event. Names are looked up for a whole list of events at once
(one query for people, one for companies), so a page costs the same whatever its length."""

import re
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from accounts.models import Subscriber
from api.models import Scope
from backoffice.roles import AgentRole
from companies.models import Company
from habilitations.catalogue import label as service_label
from habilitations.choices import Role

SUBSCRIBER_NUMBER = re.compile(r"20[0-9]{12}")
COMPANY_IDENTIFIER = re.compile(r"[0-9]{9}|P[0-9]{8}")

# Details of an event that name a person or a company, and what the column calls them.
PEOPLE_DETAILS = {
    "subscriber": "Abonné concerné",
    "requester": "Demandeur",
    "replaced_by": "Remplacé par",
}
COMPANY_DETAILS = {"firm": "Cabinet"}
SERVICE_DETAILS = {"service": "Service", "services": "Services", "codes": "Services"}

# Why a token died (`AccessToken.revoked_reason`, the `credentials_revoked` reasons).
REVOKED_REASONS = {
    "owner": "par son titulaire",
    "agent": "par un agent",
    "frozen": "espace gelé",
    "password_reset": "mot de passe réinitialisé",
}


@dataclass(frozen=True)
class Named:
    """A subscriber number or a company identifier, with the name it stands for and the
    back-office page of that person or company ("" where the number is unknown)."""

    key: str
    name: str = ""
    url: str = ""

    def __str__(self) -> str:
        return f"{self.name} ({self.key})" if self.name else self.key


@dataclass(frozen=True)
class Fact:
    """One detail of an event as a sentence part: « Service : Déclarer TVA »."""

    label: str
    value: str | Named


def service_text(code) -> str:
    try:
        return service_label(code)
    except KeyError:
        return str(code)


def role_text(code) -> str:
    if code in Role.values:
        return Role(code).label
    if code in AgentRole.values:
        return AgentRole(code).label
    return str(code)


def scope_labels(scopes) -> list[str]:
    return [Scope(s).label if s in Scope.values else str(s) for s in scopes or ()]


def revoked_reason(reason: str) -> str:
    return REVOKED_REASONS.get(reason, reason)


class _Names:
    """The names of the subscribers and companies a list of events mentions: two queries."""

    def __init__(self, events):
        numbers, identifiers, actor_ids = set(), set(), set()
        for event in events:
            if event.actor_id:
                actor_ids.add(event.actor_id)
            if SUBSCRIBER_NUMBER.fullmatch(event.target):
                numbers.add(event.target)
            elif COMPANY_IDENTIFIER.fullmatch(event.target):
                identifiers.add(event.target)
            for key in PEOPLE_DETAILS:
                if isinstance(value := event.details.get(key), str) and value:
                    numbers.add(value)
            for key in COMPANY_DETAILS:
                if isinstance(value := event.details.get(key), str) and value:
                    identifiers.add(value)
        people = []
        if numbers or actor_ids:
            people = Subscriber.objects.filter(
                Q(subscriber_number__in=numbers) | Q(pk__in=actor_ids)
            ).only("subscriber_number", "civility", "first_name", "last_name")
        self.people = {p.subscriber_number: p for p in people}
        self.actors = {p.pk: p for p in self.people.values()}
        self.companies = {}
        if identifiers:
            for firm in Company.objects.filter(
                Q(identifier__in=identifiers) | Q(previous_identifier__in=identifiers)
            ).only("identifier", "previous_identifier", "name"):
                self.companies[firm.identifier] = firm
                if firm.previous_identifier:
                    self.companies[firm.previous_identifier] = firm

    def person(self, number: str) -> Named:
        space = self.people.get(number)
        if space is None:
            return Named(number)
        return Named(number, space.display_name, reverse("backoffice:subscriber", args=[number]))

    def actor(self, actor_id) -> Named | None:
        space = self.actors.get(actor_id)
        return self.person(space.subscriber_number) if space else None

    def company(self, identifier: str) -> Named:
        firm = self.companies.get(identifier)
        if firm is None:
            return Named(identifier)
        return Named(identifier, firm.name, reverse("backoffice:company", args=[firm.identifier]))


def _facts(details: dict, names: _Names) -> list[Fact]:
    facts = []
    for key, label in PEOPLE_DETAILS.items():
        if isinstance(value := details.get(key), str) and value:
            facts.append(Fact(label, names.person(value)))
    for key, label in COMPANY_DETAILS.items():
        if isinstance(value := details.get(key), str) and value:
            facts.append(Fact(label, names.company(value)))
    for key, label in SERVICE_DETAILS.items():
        value = details.get(key)
        if isinstance(value, str) and value:
            facts.append(Fact(label, service_text(value)))
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            facts.append(Fact(label, ", ".join(service_text(v) for v in value)))
    if isinstance(role := details.get("role"), str) and role:
        facts.append(Fact("Rôle", role_text(role)))
    return facts


def described(events) -> list:
    """Each event as an agent reads it: `.agent` (the agent who acted and their reason, {} if
    none), `.by` (the subscriber who acted, named), `.about` (the target: a subscriber or a
    company named, else the target as written) and `.facts` (the people, companies, services
    and role its details name, in words)."""
    events = list(events)
    names = _Names(events)
    for event in events:
        event.agent = {
            "email": "",
            "reason": "",
            "ticket": "",
            **(event.details.get("agent") or {}),
        }
        event.by = names.actor(event.actor_id) if event.actor_id else None
        if SUBSCRIBER_NUMBER.fullmatch(event.target):
            event.about = names.person(event.target)
        elif COMPANY_IDENTIFIER.fullmatch(event.target):
            event.about = names.company(event.target)
        else:
            event.about = event.target
        event.facts = _facts(event.details, names)
    return events
