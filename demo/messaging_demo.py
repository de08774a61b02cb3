"""The secure messaging's demo (docs/messaging.md): conversations in each state for Lila
ROSEMONDE (SARL MARIANNE's Messagerie, delegated by its manager) and Paul MARTIN (the first
dossiers of his firm), answered by the demo's national agent with a small PDF; and an agent of
SARL MARTIN DISTRIBUTION's office (SIE-BORDEAUX). Idempotent: run again, it adds nothing.

It runs after `demo` and `demo_agents` (`make demo`). The agents are back-office rows: created
through its command and read by name (a front door does not import another)."""

from dataclasses import dataclass

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from accounts.models import Subscriber
from companies.models import Company
from core.pdf import FONT, new_document
from habilitations.models import Habilitation, Origin, PortfolioEntry, Role
from habilitations.rights.actions import grant
from messaging import actions, agent_actions, queries
from messaging.motifs import Motif

AGENT_PASSWORD = "Quatre agents veillent sur le guichet du centre"  # the demo agents' one
ANSWERING_AGENT = "gestion@agents.example.fr"  # a national role: answers every office


@dataclass(frozen=True)
class OfficeAgent:
    email: str
    first_name: str
    last_name: str
    office: str
    hex_secret: str


BORDEAUX_AGENT = OfficeAgent(
    "sie.bordeaux@agents.example.fr",
    "Bérénice",
    "Garonne",
    "SIE-BORDEAUX",
    "7172737475767778797a7b7c7d7e7f8081828384",
)


@dataclass(frozen=True)
class DemoThread:
    subject: str
    motif: str
    body: str
    # "new": waiting for an agent; "taken": an agent handles it; "answered": the administration
    # answered (unread); "closed": answered, then closed.
    state: str


THREADS = [
    DemoThread(
        "TVA de mars : montant rectifié",
        Motif.DECLARATION,
        "Bonjour,\n\nNous avons déclaré 1 240 € de TVA pour mars au lieu de 1 420 €.\n"
        "Comment rectifier la déclaration ?\n\nCordialement",
        "answered",
    ),
    DemoThread(
        "Délais pour l'échéance d'avril",
        Motif.PAYMENT_DELAY,
        "Bonjour,\n\nUn client important a payé en retard : pouvons-nous régler l'échéance "
        "d'avril en deux fois ?",
        "new",
    ),
    DemoThread(
        "Paiement refusé sur le service en ligne",
        Motif.ONLINE_SERVICE,
        "Bonjour,\n\nLe paiement de l'acompte d'IS a été refusé hier soir, sans message.",
        "taken",
    ),
    DemoThread(
        "Attestation de régularité fiscale",
        Motif.OTHER,
        "Bonjour,\n\nPouvez-vous nous adresser une attestation de régularité fiscale ?",
        "closed",
    ),
]
ANSWER = (
    "Bonjour,\n\nVous trouverez ci-joint la réponse du service. N'hésitez pas à nous écrire "
    "de nouveau par la messagerie sécurisée.\n\nLe service des impôts des entreprises"
)


def _agent_model():
    return apps.get_model("backoffice", "Agent")


def _pdf(subject: str) -> SimpleUploadedFile:
    """A one-page PDF (fpdf2, core.pdf): the administration's answer."""
    document = new_document()
    document.add_page()
    document.set_font(FONT, "B", 14)
    document.multi_cell(0, 8, "Direction générale des finances publiques")
    document.set_font(FONT, "", 11)
    document.ln(4)
    document.multi_cell(0, 6, f"Objet : {subject}\n\n{ANSWER}")
    return SimpleUploadedFile("reponse-du-service.pdf", bytes(document.output()))


def _office_agent() -> tuple[object, bool]:
    spec = BORDEAUX_AGENT
    agent = _agent_model().objects.filter(email=spec.email).first()
    created = agent is None
    if created:
        call_command(
            "create_agent",
            spec.email,
            first_name=spec.first_name,
            last_name=spec.last_name,
            role="gestion",
            password=AGENT_PASSWORD,
            totp_secret=spec.hex_secret,
            stdout=_Quiet(),
        )
        agent = _agent_model().objects.get(email=spec.email)
    if agent.office != spec.office:
        agent.office = spec.office
        agent.save(update_fields=["office"])
    return agent, created


class _Quiet:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


def _holds(person: Subscriber, company: Company) -> bool:
    return Habilitation.objects.filter(
        subscriber=person, company=company, elementary_service="messagerie"
    ).exists()


def _messagerie_holders() -> list[tuple[Subscriber, Company]]:
    """Lila on SARL MARIANNE (delegated by Marianne DUPONT), Paul on his first two dossiers."""
    marianne = Subscriber.objects.get(email="marianne.dupont@example.fr")
    lila = Subscriber.objects.get(email="lila.rosemonde@example.fr")
    paul = Subscriber.objects.get(email="paul.martin@example.fr")
    sarl_marianne = Company.objects.get(identifier="552100554")
    if not _holds(lila, sarl_marianne):
        grant(sarl_marianne, lila, "messagerie", Role.ACTOR, Origin.DELEGATION, by=marianne)
    pairs = [(lila, sarl_marianne)]
    firm_ids = (
        PortfolioEntry.objects.filter(subscriber=paul)
        .order_by("company__identifier")
        .values_list("company_id", flat=True)[:2]
    )
    for company in Company.objects.filter(pk__in=list(firm_ids)).order_by("identifier"):
        if not _holds(paul, company):
            grant(company, paul, "messagerie", Role.TITULAR_ADMIN, Origin.ADHESION)
        pairs.append((paul, company))
    return pairs


def _thread(person, company, spec: DemoThread, agent) -> bool:
    if queries.threads_of(company).filter(subject=spec.subject).exists():
        return False
    thread = actions.start_thread(person, company, spec.motif, spec.subject, spec.body)
    if spec.state == "new":
        return True
    thread = agent_actions.take(agent, thread)
    if spec.state in ("answered", "closed"):
        agent_actions.answer(agent, thread, ANSWER, [_pdf(spec.subject)])
    if spec.state == "closed":
        actions.mark_read(person, thread)
        agent_actions.close_by_agent(agent, thread)
    return True


def load_messaging_demo() -> dict:
    """Load the messaging's demo; says what it added."""
    office_agent, agent_created = _office_agent()
    answering = _agent_model().objects.get(email=ANSWERING_AGENT)
    added = 0
    for index, (person, company) in enumerate(_messagerie_holders()):
        # Paul's second dossier has one answered conversation only (two dossiers unread).
        specs = THREADS if index < 2 else THREADS[:1]
        added += sum(_thread(person, company, spec, answering) for spec in specs)
    return {"agent": office_agent, "agent_created": agent_created, "threads_added": added}
