"""The agents' session store (docs/backoffice.md §1): Django's database sessions in a table of
their own (`AgentSession`), ending after AGENT_SESSION_IDLE_SECONDS (15 minutes) idle."""

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DbStore


class SessionStore(DbStore):
    @classmethod
    def get_model_class(cls):
        from backoffice.models import AgentSession

        return AgentSession

    def get_session_cookie_age(self) -> int:
        return settings.AGENT_SESSION_IDLE_SECONDS
