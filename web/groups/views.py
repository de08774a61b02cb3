"""Groups of dossiers (docs/habilitations.md §13): thin views over `habilitations.groups`.
Each action on a group is one POST to its page, named by its button (`action`), and one
transaction."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from core.refusals import Refusal
from habilitations.choices import Role
from habilitations.groups import actions as groups
from habilitations.groups import queries as group_queries
from web.groups.forms import AddDossiersForm, GroupForm, MemberForm, SearchForm
from web.guards import refuse
from web.identifier_lists import takes_list_file
from web.refusals import add_to_form, add_to_page

REFUSED_PREVIEW = 50


@require_http_methods(["GET", "POST"])
def group_list(request):
    """*Groupes de dossiers*: one's groups, and a new one."""
    allowed = group_queries.may_own_groups(request.user)
    form = GroupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not allowed:
            refuse("", "groups: holds no dossier as AT, AS or delegating actor")
        if form.is_valid():
            try:
                group = groups.create(request.user, form.cleaned_data["name"])
            except Refusal as refusal:
                add_to_form(form, refusal)
            else:
                messages.success(request, f"Le groupe « {group.name} » est créé.")
                return redirect("groups:detail", pk=group.pk)
    return render(
        request,
        "groups/list.html",
        {"form": form, "groups": group_queries.owned(request.user), "allowed": allowed},
    )


def _added_message(request, added) -> None:
    count = len(added.companies)
    text = ngettext(
        "{count} dossier ajouté au groupe.", "{count} dossiers ajoutés au groupe.", count
    ).format(count=count)
    granted = sum(len(plan.granted) for _, plan in added.plans)
    if granted:
        text += " " + ngettext(
            "{count} délégation accordée à ses membres.",
            "{count} délégations accordées à ses membres.",
            granted,
        ).format(count=granted)
    messages.success(request, text)
    for identifier, refusal in added.refused[:REFUSED_PREVIEW]:
        messages.warning(request, f"{identifier} : {refusal.message}")
    for member, plan in added.plans:
        _plan_refusals(request, member.subscriber, plan)


def _plan_refusals(request, subscriber, plan) -> None:
    for company, reason in plan.refused[:REFUSED_PREVIEW]:
        messages.warning(
            request,
            f"{company.name} ({company.identifier}) : non délégué à {subscriber.display_name} "
            f"— {reason}",
        )


def _posted_id(request, key: str) -> int:
    value = request.POST.get(key, "")
    return int(value) if value.isascii() and value.isdigit() else 0


def _act(request, group, action: str, forms: dict):
    """Run the button's action; returns a redirect when done, None to show the forms again."""
    owner = request.user
    if action == "add_dossiers" and forms["add"].is_valid():
        parsed = forms["add"].parsed
        added = groups.add_dossiers(owner, group.pk, parsed.identifiers)
        added.refused[:0] = [
            (raw, Refusal("generic.invalid", why)) for _, raw, why in parsed.refused
        ]
        _added_message(request, added)
    elif action == "search" and forms["search"].is_valid():
        _added_message(
            request, groups.add_by_search(owner, group.pk, forms["search"].cleaned_data["query"])
        )
    elif action == "remove_dossier":
        removed, withdrawn = groups.remove_dossiers(
            owner, group.pk, [_posted_id(request, "company")]
        )
        messages.success(
            request,
            ngettext(
                "Dossier retiré du groupe ; {count} délégation retirée à ses membres.",
                "Dossier retiré du groupe ; {count} délégations retirées à ses membres.",
                withdrawn,
            ).format(count=withdrawn)
            if removed
            else "Ce dossier n'est plus dans le groupe.",
        )
    elif action == "add_member" and forms["member"].is_valid():
        data = forms["member"].cleaned_data
        subscriber = forms["member"].subscriber
        try:
            _, plan = groups.add_member(
                owner, group.pk, subscriber, Role(data["role"]), data["codes"]
            )
        except Refusal as refusal:
            add_to_form(forms["member"], refusal)
            return None
        dossiers = len({h.company_id for h in plan.granted})
        messages.success(
            request,
            ngettext(
                "{name} est membre du groupe : {count} délégation accordée",
                "{name} est membre du groupe : {count} délégations accordées",
                len(plan.granted),
            ).format(name=subscriber.display_name, count=len(plan.granted))
            + ngettext(" sur {count} dossier.", " sur {count} dossiers.", dossiers).format(
                count=dossiers
            ),
        )
        _plan_refusals(request, subscriber, plan)
    elif action == "remove_member":
        removed, kept = groups.remove_member(owner, group.pk, _posted_id(request, "member"))
        messages.success(
            request,
            ngettext(
                "Membre retiré : {count} délégation que le groupe lui avait donnée est retirée.",
                "Membre retiré : {count} délégations que le groupe lui avait données "
                "sont retirées.",
                removed,
            ).format(count=removed),
        )
        if kept:
            messages.warning(
                request,
                ngettext(
                    "{count} délégation reste en place : vous ne pouvez plus la gérer.",
                    "{count} délégations restent en place : vous ne pouvez plus les gérer.",
                    len(kept),
                ).format(count=len(kept)),
            )
    elif action == "delete":
        withdrawn = groups.delete(owner, group.pk)
        messages.success(
            request,
            ngettext(
                "Groupe supprimé ; {count} délégation qu'il donnait est retirée.",
                "Groupe supprimé ; {count} délégations qu'il donnait sont retirées.",
                withdrawn,
            ).format(count=withdrawn),
        )
        return redirect("groups:list")
    else:
        return None
    return redirect("groups:detail", pk=group.pk)


@takes_list_file
@require_http_methods(["GET", "POST"])
def detail(request, pk: int):
    """A group: its dossiers (the first ones, a count, a SIREN filter) and its members."""
    try:
        group = group_queries.get(request.user, pk)
    except Refusal:
        refuse("", "groups: not the owner's group", group=pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = {
        "add": AddDossiersForm(
            *((request.POST, request.FILES) if action == "add_dossiers" else ()), prefix="add"
        ),
        "search": SearchForm(request.POST if action == "search" else None, prefix="search"),
        "member": MemberForm(request.POST if action == "add_member" else None, prefix="member"),
    }
    if action:
        try:
            done = _act(request, group, action, forms)
        except Refusal as refusal:
            add_to_page(request, refusal)
            return redirect("groups:detail", pk=pk)
        if done is not None:
            return done
    query = request.GET.get("siren", "").strip()[:20]
    dossiers, total = group_queries.dossiers_page(group, query=query)
    return render(
        request,
        "groups/detail.html",
        {
            "group": group,
            "dossiers": dossiers,
            "total": total,
            "query": query,
            "members": group_queries.members(group),
            **forms,
        },
    )
