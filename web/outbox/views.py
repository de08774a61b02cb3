from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from correspondence.models import Kind, Message

OUTBOX_PAGE_SIZE = 100


def _require_outbox_enabled() -> None:
    if not settings.OUTBOX_ENABLED:
        raise Http404


@login_not_required
@require_GET
def outbox(request):
    """Development page listing what was "sent", newest first (docs/correspondence.md §1)."""
    _require_outbox_enabled()
    messages = Message.objects.all()[:OUTBOX_PAGE_SIZE]
    return render(request, "outbox/outbox.html", {"outbox_messages": messages})


@login_not_required
@require_GET
def letter_pdf(request, pk: int):
    _require_outbox_enabled()
    message = get_object_or_404(Message, pk=pk, kind=Kind.LETTER)
    try:
        return FileResponse(message.open_pdf(), content_type="application/pdf")
    except FileNotFoundError as exc:
        raise Http404 from exc
