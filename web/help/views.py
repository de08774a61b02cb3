"""The help pages, the *Aide* page, the *Calendrier fiscal* and *Coordonnées du gestionnaire et
prise de rendez-vous* (docs/help.md). Public except the last, which depends on the dossier."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from core import clock
from web.help import fiscal_calendar
from web.help.topics import BY_SLUG, grouped

MANAGER_SERVICE = "coordonnees_gestionnaire"


@login_not_required
@require_GET
def index(request):
    """*Aide*: every help page under the headings of the space's menu, and the assistance."""
    return render(request, "help/index.html", {"groups": grouped()})


@login_not_required
@require_GET
def topic(request, slug: str):
    """The page an « En savoir plus » leads to."""
    found = BY_SLUG.get(slug)
    if found is None:
        raise Http404
    return render(
        request,
        "help/topic.html",
        {
            "topic": found,
            "body": f"help/topics/{found.slug}.html",
            "breadcrumb": {
                "root_dir": "/",
                "links": [{"url": reverse("help:index"), "title": "Aide"}],
                "current": found.title,
            },
        },
    )


@login_not_required
@require_GET
def calendar(request):
    """*Calendrier fiscal*: the main deadlines, month by month, this month marked."""
    return render(
        request,
        "help/calendar.html",
        {
            "months": fiscal_calendar.months(),
            "every_month": fiscal_calendar.EVERY_MONTH,
            "this_month": timezone.localtime(clock.now()).month,
        },
    )


@require_GET
def manager(request):
    """*Coordonnées du gestionnaire et prise de rendez-vous*: a company's own, so the current
    dossier's page when there is one (its access is checked there), else how to reach it."""
    current = request.session.get("current_dossier")
    if current:
        return redirect("dossiers:service", current["identifier"], MANAGER_SERVICE)
    return render(request, "help/manager.html")
