"""Helpers for every app's tests: read what was "sent" the way a person would (the code or
link in an e-mail, the code in a letter), log in as a person does, run calls concurrently.
Import them from here (never from a conftest nor from another test module)."""

import re
from datetime import UTC, datetime, timedelta

from correspondence.models import Kind, Message

# A fixed, named instant for tests that move the clock.
CURRENT_TIME = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
# The password of the subscribers the factories make, and a strong one for new spaces.
PASSWORD = STRONG_PASSWORD = "Trois pommes vertes sur la table du jardin"

CODE_RE = re.compile(r"^([A-Za-z0-9]{12})$", re.MULTILINE)
LINK_RE = re.compile(r"/([A-Za-z0-9_-]{22})/([A-Za-z0-9]{12})/$", re.MULTILINE)
IBAN = "FR7630006000011234567890189"
BIC = "BNPAFRPP"


def last_code_sent_to(email: str) -> str:
    """The activation code in the latest e-mail to this address, as the person would read it."""
    message = Message.objects.filter(to=email, kind="email").latest("sent_at", "id")
    match = CODE_RE.search(message.body)
    assert match, message.body
    return match.group(1)


CAPTCHA_KEY_RE = re.compile(
    r'name="captcha_0"[^>]*value="([0-9a-f]+)"|value="([0-9a-f]+)"[^>]*name="captcha_0"'
)


def captcha_answer(page: str) -> dict:
    """The CAPTCHA of a page, answered through the library's store (its test hook)."""
    from captcha.models import CaptchaStore

    match = CAPTCHA_KEY_RE.search(page)
    assert match, "no CAPTCHA on the page"
    key = match.group(1) or match.group(2)
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


def last_email_to(email: str, purpose: str | None = None) -> Message:
    messages = Message.objects.filter(to=email, kind="email")
    if purpose:
        messages = messages.filter(purpose=purpose)
    return messages.latest("sent_at", "id")


LOGIN_CODE_RE = re.compile(r"^([0-9]{6})$", re.MULTILINE)
LOGIN_STEP = "/connexion/verification/"


def last_login_code(email: str) -> str:
    """The 6-digit code of the latest « Votre code de vérification » e-mail to this address."""
    match = LOGIN_CODE_RE.search(last_email_to(email, "login_code").body)
    assert match
    return match.group(1)


def login(client, email: str, password: str, **extra):
    """Log in through the login page, as a person does (the login limits count there), then
    through the second step with the code e-mailed (read from the outbox), unless the page
    answered otherwise (a wrong password, a lock, an expired password, a remembered browser).
    `extra` goes with the code (`remember="on"`)."""
    response = client.post("/", {"username": email, "password": password})
    if response.status_code != 302 or response.url != LOGIN_STEP:
        return response
    return client.post(LOGIN_STEP, {"code": second_factor_code(email.strip().lower()), **extra})


_PER_RESPONSE_RE = re.compile(
    r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value="|nonce=")[^"]+"'
)


def comparable(page: str) -> str:
    """A page without its CSRF tokens and CSP nonces, which differ in every response."""
    return _PER_RESPONSE_RE.sub(r'\1…"', page)


def run_concurrently(*calls) -> list:
    """Run the calls at the same moment in threads; each returns its result or its exception."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


SQLITE_REFUSES_CONCURRENT_WRITERS = (
    "SQLite's shared in-memory test database refuses a second writer ('table is locked')"
)


def link_for(link_id: str, token: str) -> str:
    """The company e-mail link the flows put in their e-mails (what the view would build)."""
    return f"https://portail.example/adresse-electronique-entreprise/{link_id}/{token}/"


def last_link(email: str) -> tuple[str, str]:
    """(public link id, token) of the link in the latest e-mail to this address."""
    message = Message.objects.filter(kind=Kind.EMAIL, to=email).latest("sent_at", "id")
    match = LINK_RE.search(message.body)
    assert match, message.body
    return match.group(1), match.group(2)


def letter_code(req) -> str:
    """The code printed in the request's letter."""
    req.refresh_from_db()
    assert req.letter is not None, "no letter was sent"
    match = CODE_RE.search(req.letter.body)
    assert match, req.letter.body
    return match.group(1)


def wrong(code: str) -> str:
    """Another code of the same shape."""
    return code[:-1] + ("A" if code[-1] != "A" else "B")


# The simplified mode: the company e-mail given with the creation, and its letter.
SIMPLIFIED_COMPANY_EMAIL = "contact@saleris.example"


def simplified_letter(data) -> tuple:
    """Submit a simplified-mode creation, follow the company e-mail's link, read the letter's
    code: (the postal request, the code)."""
    from habilitations.postal.actions import confirm_link
    from habilitations.postal.simplified import submit_simplified

    req = submit_simplified(data, link_for=link_for)
    confirm_link(*last_link(SIMPLIFIED_COMPANY_EMAIL))
    return req, letter_code(req)


# What registration passes the activation e-mail besides the code.
ACTIVATION_EXPIRES_AT = CURRENT_TIME + timedelta(hours=48)


def send_two_emails() -> None:
    """Two activation e-mails, five minutes apart (first@, then second@example.fr)."""
    import time_machine

    from correspondence.mail import send_email

    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        send_email(
            "space_activation_code",
            "first@example.fr",
            {"code": "AAAAAAAAAAAA", "hours": 48, "expires_at": ACTIVATION_EXPIRES_AT},
        )
        traveller.shift(timedelta(minutes=5))
        send_email(
            "space_activation_code",
            "second@example.fr",
            {"code": "BBBBBBBBBBBB", "hours": 48, "expires_at": ACTIVATION_EXPIRES_AT},
        )


# What an adhesion passes its letter.
LETTER_CONTEXT = {
    "requester_name": "Mme Lila ROSEMONDE",
    "requester_number": "20101670101919",
    "services": ["Messagerie", "Payer"],
    "payer_labels": ["Payer TVA"],
    "code": "VspJiHEQjPAq",
    "days": 60,
    "expires_at": CURRENT_TIME,
}


# What a person types in the expert sign-up's form (the company is the `company` fixture's).
SIGNUP_EMAIL = "lila.rosemonde@example.fr"
SIGNUP_PROFILE = {
    "civility": "MME",
    "last_name": "Rosemonde",
    "first_name": "Lila",
    "foreign_company": "non",
    "company_identifier": "987 654 324",
    "phone": "01 24 57 88 77",
    "street_number": "12",
    "street_type": "rue",
    "street_name": "des Lilas",
    "address_complement": "",
    "postal_code": "75011",
    "city": "PARIS",
    "country": "FRANCE",
    "trust_question": "animal",
    "trust_answer": "Lili",
}


def second_factor_code(email: str) -> str:
    """What the person types at the second step: the app's code (the next step's when this
    step's served already) or the last e-mailed code."""
    from accounts.factors import app
    from accounts.models import Subscriber

    subscriber = Subscriber.objects.get(email=email)
    device = app.device(subscriber)
    if subscriber.login_factor != "totp" or device is None:
        return last_login_code(email)
    totp = device.totp()
    if device.last_t >= totp.t():
        totp.time += device.step
    return f"{totp.token():06d}"


def pass_second_step(page, *, remember: bool = False) -> bool:
    """In a browser test, right after « Connexion »: when the second step is asked, type the
    factor's code (read from the outbox or computed) and validate. False when it was not asked
    (a refused password, a remembered browser, an expired password)."""
    page.wait_for_load_state()
    if LOGIN_STEP not in page.url:
        return False
    email = page.locator("#login-email").inner_text()
    page.locator("#id_code").fill(second_factor_code(email))
    if remember:
        page.locator("label[for=id_remember]").click()
    page.get_by_role("button", name="Valider").click()
    return True


def prove_fresh_factor(client) -> None:
    """A test client's session counts as having proved a second factor just now (the clock's
    now), as after *Vérification de sécurité* (docs/security.md §14.4)."""
    from accounts.flows.reauthentication import PROVED_AT
    from core import clock

    session = client.session
    session[PROVED_AT] = clock.now().timestamp()
    session.save()


def proof_location(next_path: str, reason: str) -> str:
    """Where a step-up sends a stale session: the proof page, with `next` and the reason."""
    from urllib.parse import urlencode

    return "/espace/securite/verification/?" + urlencode({"next": next_path, "raison": reason})


STEP_UP = "/espace/securite/verification/"


def pass_step_up(page, email: str) -> bool:
    """In a browser test, right after an action behind step-up (docs/security.md §14.4): when
    *Vérification de sécurité* is asked, type the factor's code and validate (the page then
    leads back to the form, what was typed in it). False when it was not asked."""
    page.wait_for_load_state()
    if STEP_UP not in page.url:
        return False
    page.locator("#id_code").fill(second_factor_code(email.strip().lower()))
    page.get_by_role("button", name="Valider").click()
    page.wait_for_load_state()
    return True


def prove_in_browser(page, email: str) -> None:
    """In a browser test, pass *Vérification de sécurité* now (the session counts as proved
    for REAUTHENTICATION_MINUTES), to test what follows a step-up rather than the step-up."""
    page.goto(f"{STEP_UP}?next=/espace/")
    assert pass_step_up(page, email)
