"""The current dossier (issue 12 §3; docs/habilitations.md §10.4): the dossier the person is
working on, shown in the band under the header, whose menus the home page and the
persistent bar show.

One rule: a page about one company sets it. Every page of a dossier asks the guard
(`web.guards.dossier_or_403`, which checks access and nothing else), then calls `make_current`
with the rights the guard read (so the bar costs no query); a page about a company that is not
(yet) one of the person's dossiers (an adhesion for a new company) shows that company in the
band for that page only, through `show_company`, and leaves the current dossier as it was. The
session is written only when the current dossier changes (docs/security.md §11.7)."""

from functools import cache

from django.http import HttpRequest

from companies.models import Company
from habilitations.rights.queries import Rights, dossier_of
from messaging.access import may_use_messaging
from messaging.queries import unread_count_on
from web import dossier_menus

SESSION_KEY = "current_dossier"


def make_current(request: HttpRequest, company: Company, rights: Rights) -> None:
    """`company`, on which the person holds `rights`, becomes the current dossier, and this
    page shows its bar."""
    current = {"identifier": company.identifier, "name": company.name}
    if request.session.get(SESSION_KEY) != current:
        request.session[SESSION_KEY] = current
    request.dossier_bar = dossier_menus.bar(
        rights, company.identifier, _unread_counter(request.user, company, rights)
    )


def _unread_counter(subscriber, company: Company, rights: Rights):
    """The count of the MESSAGERIE menu, for whoever may use the company's messaging: run once,
    when the bar is shown (an indexed query), none otherwise."""
    if not may_use_messaging(subscriber, company, rights):
        return None
    return cache(lambda: unread_count_on(subscriber, company))


def show_company(request: HttpRequest, company: Company) -> None:
    """A page about `company`, which may not be a dossier of the person (an adhesion or a
    substitution being asked): the band names it for this page. If the person holds rights
    on it, it becomes the current dossier (one query, this page's only)."""
    found = dossier_of(request.user, company.identifier)
    if found is not None:
        make_current(request, *found)
    else:
        request.band_company = {"identifier": company.identifier, "name": company.name}


def forget(request: HttpRequest) -> None:
    """No current dossier any more (its rights are gone)."""
    request.session.pop(SESSION_KEY, None)


def identifier(request: HttpRequest) -> str | None:
    current = request.session.get(SESSION_KEY)
    return current["identifier"] if current else None


def band(request: HttpRequest) -> dict | None:
    """What the band shows: the company of this page if it is not a dossier of the person,
    else the current dossier (with a link to it)."""
    if company := getattr(request, "band_company", None):
        return {**company, "is_dossier": False}
    if current := request.session.get(SESSION_KEY):
        return {**current, "is_dossier": True}
    return None
