import pytest

from audit.models import Action, AuditEvent
from audit.trail import record

pytestmark = pytest.mark.django_db


def test_events_are_appended_with_time_and_details():
    event = record(Action.LOGIN_FAILED, target="x@example.fr", reason="wrong")
    assert event.at is not None
    assert AuditEvent.objects.get().details == {"reason": "wrong"}


def test_the_trail_cannot_be_changed_nor_deleted_by_the_application():
    event = record(Action.LOGIN_FAILED, target="x@example.fr")
    event.target = "forged"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(target="forged")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().target == "x@example.fr"


def test_nul_bytes_typed_by_a_user_never_reach_the_trail():
    event = record(
        Action.LOGIN_FAILED, target="a\x00b@example.fr", typed=["x\x00y"], nested={"k": "\x00"}
    )
    event.refresh_from_db()
    assert event.target == "ab@example.fr"
    assert event.details == {"typed": ["xy"], "nested": {"k": ""}}
