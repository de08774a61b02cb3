"""Daily: erase what is kept no longer than needed (docs/security.md §12). The rules are the
domain apps' own (`<app>/retention.py`); this command, in the top domain app (messaging, since
issue 23) because it calls every app below it (.importlinter's layers), runs them in order and
says what each did."""

from django.core.management.base import BaseCommand

from accounts.retention import (
    purge_expired_sessions,
    purge_lapsed_registrations,
    purge_session_records,
)
from audit.retention import purge_old_events
from core.limits import purge_expired as purge_rate_counters
from correspondence.retention import purge_undeliverable_sealed_bodies
from habilitations.retention import purge_lapsed_simplified_registrations, purge_postal_bank_details
from messaging.retention import purge_old_threads

# (rule, French summary): each rule runs in its own transaction and returns how many rows it
# changed. The audit trail comes last, so that nothing recorded by the others is left out of it.
PURGES = [
    (purge_expired_sessions, "{} session(s) expirée(s) supprimée(s)."),
    (purge_session_records, "{} trace(s) de session échue(s) supprimée(s)."),
    (purge_rate_counters, "{} compteur(s) de limite échu(s) supprimé(s)."),
    (purge_lapsed_registrations, "{} pré-inscription(s) échue(s) supprimée(s)."),
    (
        purge_lapsed_simplified_registrations,
        "{} création(s) d'espace en mode simplifié échue(s) supprimée(s).",
    ),
    (
        purge_postal_bank_details,
        "{} demande(s) par courrier close(s) : coordonnées bancaires effacées.",
    ),
    (
        purge_undeliverable_sealed_bodies,
        "{} courriel(s) non remis : copie chiffrée effacée.",
    ),
    (
        purge_old_threads,
        "{} conversation(s) de la messagerie supprimée(s), pièces jointes comprises.",
    ),
    (purge_old_events, "{} événement(s) du journal d'audit supprimé(s)."),
]


class Command(BaseCommand):
    help = (
        "Erases expired sessions, lapsed registrations, closed postal requests' bank details, "
        "undelivered e-mails' sealed copies, old messaging threads with their attachments and "
        "audit events past their retention period (RETENTION_*, MESSAGING_RETENTION_DAYS). "
        "Run it daily; running it twice erases nothing more."
    )

    def handle(self, *args, **options):
        for purge, summary in PURGES:
            self.stdout.write(summary.format(purge()))
