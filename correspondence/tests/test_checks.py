"""The outbox shows codes in clear: a system check refuses it where DEBUG is off
(docs/correspondence.md §4.2)."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

pytestmark = pytest.mark.django_db


def test_the_outbox_with_debug_off_fails_the_system_checks(settings):
    settings.DEBUG, settings.OUTBOX_ENABLED = False, True
    with pytest.raises(SystemCheckError, match=r"correspondence\.E001.*OUTBOX_ENABLED"):
        call_command("check")


@pytest.mark.parametrize(("debug", "outbox"), [(True, True), (True, False), (False, False)])
def test_other_combinations_pass(settings, debug, outbox):
    settings.DEBUG, settings.OUTBOX_ENABLED = debug, outbox
    call_command("check")
