"""Who is told that the administration answered (docs/messaging.md §5): each person holding the
company's Messagerie (active, space neither frozen nor closed) who has not turned these e-mails
off, and the company's e-mail address. Never the message's content, no link that logs in."""

from accounts.models import Subscriber
from correspondence.mail import send_email
from habilitations.catalogue import MESSAGERIE
from habilitations.company_data import email as company_email
from habilitations.models import Habilitation, State
from messaging.models import EmailOptOut


def holders_to_tell(company) -> list[Subscriber]:
    holders = Habilitation.objects.filter(
        company=company, elementary_service=MESSAGERIE, state=State.ACTIVE
    ).values("subscriber_id")
    opted_out = EmailOptOut.objects.values("subscriber_id")
    return list(
        Subscriber.objects.filter(pk__in=holders, is_active=True, frozen_at__isnull=True)
        .exclude(pk__in=opted_out)
        .order_by("pk")
    )


def tell_answer(company) -> int:
    """One e-mail per address (a person whose login is the company's address gets one);
    how many were sent."""
    sent: set[str] = set()
    for holder in holders_to_tell(company):
        address = holder.email.lower()
        if address not in sent:
            sent.add(address)
            send_email("messaging_answer", holder.email, {"company": company, "personal": True})
    found = company_email.current(company)
    if found is not None and found.email.lower() not in sent:
        sent.add(found.email.lower())
        send_email("messaging_answer", found.email, {"company": company, "personal": False})
    return len(sent)
