"""The agents' side of every request under AGENT_URL_PREFIX (docs/backoffice.md §1).

- Its own session: the subscribers' session (the `SessionMiddleware` before this one) is set
  aside and the agents' session store takes its place, under its own cookie; so a subscriber's
  session is nobody on an agent page (Django's user stays anonymous there), and an agent's
  session is nobody on a subscriber page (its cookie is never read there).
- The client networks allowed for the prefix (AGENT_ALLOWED_NETWORKS), if set.
- `request.agent`: the agent of the session once both factors are checked, else None.
- Nothing of an agent page is kept by the browser or a proxy.
"""

import ipaddress
import time

from django.conf import settings
from django.http import HttpResponseForbidden
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.http import http_date

from backoffice import auth
from backoffice.sessions import SessionStore
from core import context


def is_agent_path(path: str) -> bool:
    return path.startswith(settings.AGENT_URL_PREFIX)


def address_allowed(address: str | None) -> bool:
    networks = settings.AGENT_ALLOWED_NETWORKS
    if not networks:
        return True
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in networks)


class AgentSessionMiddleware:
    """Placed right after Django's SessionMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_agent_path(request.path_info):
            return self.get_response(request)
        subscriber_session = request.session
        request.session = SessionStore(request.COOKIES.get(settings.AGENT_SESSION_COOKIE_NAME))
        request.agent = SimpleLazyObject(lambda: auth.session_agent(request))
        try:
            response = self.get_response(request)
        finally:
            agent_session = request.session
            request.session = subscriber_session
        self._keep(request, agent_session, response)
        patch_cache_control(response, no_store=True, private=True)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Here the client's address is known (`web`'s ActingMiddleware, through core.context).
        if is_agent_path(request.path_info) and not address_allowed(context.current().ip_address):
            return HttpResponseForbidden("Accès réservé au réseau de l'administration.")
        return None

    def _keep(self, request, session, response) -> None:
        """Django's SessionMiddleware's response half, for the agents' cookie."""
        name = settings.AGENT_SESSION_COOKIE_NAME
        if name in request.COOKIES and session.is_empty():
            response.delete_cookie(name, path="/", samesite="Strict")
            return
        if not session.modified or session.is_empty() or response.status_code >= 500:
            return
        session.save()
        expires_at = time.time() + session.get_expiry_age()
        response.set_cookie(
            name,
            session.session_key,
            max_age=None,  # dies with the browser, and with the server's 15 idle minutes
            expires=None if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE else http_date(expires_at),
            path="/",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Strict",
        )
