import re

from correspondence.models import Message

CODE_RE = re.compile(r"^([A-Za-z0-9]{12})$", re.MULTILINE)


def last_code_sent_to(email: str) -> str:
    """The activation code in the latest e-mail to this address, as the person would read it."""
    message = Message.objects.filter(to=email, kind="email").latest("sent_at", "id")
    match = CODE_RE.search(message.body)
    assert match, message.body
    return match.group(1)
