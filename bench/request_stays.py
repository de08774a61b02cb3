"""Following `request` through *Déléguer mes habilitations* (issue 22): every function of the
project entered with the request object among its arguments ("a stay"), during one GET of the
delegation form and three POSTs of it (a level per service, the same level for all, a forged
level refused with a 403). Run explicitly:

    DJANGO_ALLOW_ASYNC_UNSAFE=true python -m pytest -p no:cacheprovider -q -s bench/request_stays.py

A stay is counted once per distinct function (file, name); functions of Django and other
installed packages are not counted (they are not ours to shape). `returns` counts the `return`
statements of the functions stayed in (the exits a reader follows back)."""

import ast
import inspect
import sys
from collections import Counter
from pathlib import Path

import pytest

from habilitations.models import Habilitation
from tests.factories import HabilitationFactory

ROOT = Path(__file__).resolve().parent.parent


def _ours(filename: str) -> bool:
    path = Path(filename)
    return path.is_relative_to(ROOT) and ".venv" not in path.parts and "tests" not in path.parts


def _returns(code) -> int:
    try:
        source = inspect.getsource(code)
    except (OSError, TypeError):
        return 0
    lines = source.splitlines()
    indent = len(lines[0]) - len(lines[0].lstrip())
    tree = ast.parse("\n".join(line[indent:] for line in lines))
    function = tree.body[0]
    nested = {
        id(n)
        for child in ast.walk(function)
        if child is not function and isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
        for n in ast.walk(child)
    }
    return sum(1 for n in ast.walk(function) if isinstance(n, ast.Return) and id(n) not in nested)


def _trace(client, method: str, url: str, data=None) -> dict:
    from django.core.handlers.wsgi import WSGIRequest

    stays: dict[tuple[str, str], object] = {}
    entries: Counter = Counter()

    def profile(frame, event, arg):
        if event != "call" or not _ours(frame.f_code.co_filename):
            return
        code = frame.f_code
        names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
        if any(isinstance(frame.f_locals.get(name), WSGIRequest) for name in names):
            key = (str(Path(code.co_filename).relative_to(ROOT)), code.co_qualname)
            stays.setdefault(key, code)
            entries[key] += 1

    sys.setprofile(profile)
    try:
        response = getattr(client, method)(url, data or {})
    finally:
        sys.setprofile(None)
    assert response.status_code in (200, 302, 403)
    return stays, entries


@pytest.mark.django_db
def test_count_the_stays_of_delegate_mes_habilitations(client, company, alice, bob):
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    HabilitationFactory(company=company, subscriber=alice, code="payer")
    client.force_login(alice)
    url = f"/espace/dossiers/{company.identifier}/delegations/delegataire/{bob.subscriber_number}/"
    client.get(url)  # warm: the first request imports and caches
    stays, entries = _trace(client, "get", url)
    for data in (
        {"level-declarer_tva": "AD", "level-payer_tva": "AC"},  # a level per service
        {"all-level": "AC"},  # the same level for all
        {"level-declarer_tva": "XX"},  # forged: a 403, audited
    ):
        more, more_entries = _trace(client, "post", url, data)
        stays.update(more)
        entries.update(more_entries)
    assert Habilitation.objects.filter(subscriber=bob).exists()
    files = Counter(path for path, _ in stays)
    returns = sum(_returns(code) for code in stays.values())
    for path, name in sorted(stays):
        print(f"  {entries[path, name]:3} {path}:{name}")
    print(f"{len(stays)} stays in {len(files)} files, {returns} returns")
    print(f"{sum(entries.values())} entries over the 4 requests")
    # The middleware chain (and what it calls: the client's address, the upload handler) runs
    # on every page; the page itself is the view and what the view and its templates call.
    chain = {"core/context.py", "web/identifier_lists.py"}
    page = {
        k: c for k, c in stays.items() if not k[0].endswith("middleware.py") and k[0] not in chain
    }
    print(
        f"the page alone: {len(page)} stays in {len({p for p, _ in page})} files, "
        f"{sum(_returns(c) for c in page.values())} returns, "
        f"{sum(entries[k] for k in page)} entries"
    )
    print("outside web/:", sorted({p for p in files if not p.startswith("web/")}))
