"""Person names (docs/accounts.md §14): letters of any script, spaces, hyphens, apostrophes and
dots, bounded, NFC; refused by every flow that saves one; the stored ones that break the rule
reported by `manage.py report_names`."""

import unicodedata
from dataclasses import replace
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.flows.coordinates import update_profile
from accounts.flows.registration import submit_registration
from accounts.models import PendingRegistration, Subscriber
from accounts.names import clean_name, follows_rule, normalize_name
from audit.models import Action, AuditEvent
from core.refusals import Refusal
from correspondence.models import Message
from habilitations.models import SimplifiedRegistration
from habilitations.postal.simplified import submit_simplified
from tests.factories import SubscriberFactory
from tests.helpers import link_for

HOSTILE = "Service des impôts\nAppelez le 01 23 45 67 89"


@pytest.mark.parametrize(
    "name",
    [
        "Lila",
        "Rosemonde-Martin",
        "O'Brien",
        "D\u2019Artagnan",
        "de la Fontaine",
        "St. Clair",
        "J.-P.",
        "Müller",
        "Анна",
        "Παπαδόπουλος",
        "محمد",
        "王",
        "Nguyễn",
        "e\u0301lodie",  # a combining mark after its letter (normalised to NFC below)
    ],
)
def test_letters_of_any_script_and_the_few_separators_are_names(name):
    cleaned = clean_name(name, field="last_name")
    assert cleaned == unicodedata.normalize("NFC", name)
    assert follows_rule(cleaned)


@pytest.mark.parametrize(
    "name",
    [
        HOSTILE,
        "Lila\r",
        "Lila\tRose",
        "Lila2",
        "https://impots.example/code",
        "lila@example.fr",
        "\u202eednomesoR",  # right-to-left override
        "Lila\u2066Rose",  # bidi isolate
        "Lila\u200bRose",  # zero-width space
        "Lila\x00",
        "-Lila",
        "Lila-",
        "'Lila",
        "Lila '",
        ".Lila",
        "Jean--Pierre",
        "Jean -Pierre",
        "Jean..Pierre",
        "\u0301Lila",  # a mark with no letter before it
        "Lila!",
        "Lila (Rose)",
        "Lila_Rose",
    ],
)
def test_digits_breaks_controls_bidi_urls_and_stray_separators_are_refused(name):
    with pytest.raises(Refusal) as refused:
        clean_name(name, field="last_name")
    assert refused.value.code == "name.last_name_invalid"
    assert refused.value.field == "last_name"
    assert refused.value.message.startswith("Le nom ne peut contenir que des lettres")


def test_names_are_trimmed_their_spaces_single_and_nfc():
    assert normalize_name("  Jean   Pierre  ") == "Jean Pierre"
    assert normalize_name("E\u0301lodie") == "Élodie"


def test_the_length_is_bounded_by_a_setting(settings):
    settings.PERSON_NAME_MAX_LENGTH = 10
    assert clean_name("A" * 10, field="first_name") == "A" * 10
    with pytest.raises(Refusal) as refused:
        clean_name("A" * 11, field="first_name")
    assert refused.value.code == "name.first_name_too_long"
    assert refused.value.message == "Le prénom compte au plus 10 caractères."


def test_an_empty_name_is_refused():
    with pytest.raises(Refusal) as refused:
        clean_name("   ", field="first_name")
    assert refused.value.code == "name.first_name_missing"


# --- every door that saves a name --------------------------------------------------------


def test_registration_refuses_a_bad_name_and_saves_nothing(registration):
    with pytest.raises(Refusal) as refused:
        submit_registration(replace(registration, last_name=HOSTILE))
    assert refused.value.field == "last_name"
    assert not PendingRegistration.objects.exists()
    assert not Message.objects.exists()


def test_registration_keeps_names_normalised(registration):
    pending = submit_registration(
        replace(registration, first_name=" E\u0301lodie ", last_name="de  la Fontaine")
    )
    assert (pending.first_name, pending.last_name) == ("Élodie", "de la Fontaine")


def test_the_simplified_mode_refuses_a_bad_name_and_saves_nothing(simplified_data):
    bad = replace(simplified_data.registration, first_name="Lila\u202e")
    with pytest.raises(Refusal) as refused:
        submit_simplified(replace(simplified_data, registration=bad), link_for=link_for)
    assert refused.value.field == "first_name"
    assert not SimplifiedRegistration.objects.exists()
    assert not Message.objects.exists()


def test_coordinates_refuse_a_bad_name_and_change_nothing(db):
    lila = SubscriberFactory(last_name="Rosemonde")
    with pytest.raises(Refusal) as refused:
        update_profile(lila, {"last_name": HOSTILE, "city": "LYON"})
    assert refused.value.field == "last_name"
    lila.refresh_from_db()
    assert (lila.last_name, lila.city) == ("Rosemonde", "PARIS")
    assert not AuditEvent.objects.filter(action=Action.PROFILE_CHANGED).exists()


def test_coordinates_keep_names_normalised(db):
    lila = SubscriberFactory(first_name="Lila")
    assert update_profile(lila, {"first_name": " E\u0301lodie "}) == ["first_name"]
    lila.refresh_from_db()
    assert lila.first_name == "Élodie"


def test_the_factories_make_valid_names(db):
    subscriber = SubscriberFactory()
    assert follows_rule(subscriber.last_name) and follows_rule(subscriber.first_name)


def test_the_synthetic_data_has_valid_names():
    from demo.synthetic import Plan, _subscribers

    names = {s.last_name for s in _subscribers(Plan(companies=3, subscribers=60))}
    assert len(names) == 60 and all(follows_rule(name) for name in names)


# --- manage.py report_names ----------------------------------------------------------------


def _report() -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("report_names", stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def test_the_report_lists_rows_that_break_the_rule_and_changes_nothing(
    db, registration, simplified_data
):
    SubscriberFactory(email="ok@example.fr")
    # Rows stored before the rule (or behind its back): written directly.
    bad = SubscriberFactory(email="bad@example.fr")
    Subscriber.objects.filter(pk=bad.pk).update(first_name=HOSTILE)
    pending = submit_registration(replace(registration, email="pending@example.fr"))
    PendingRegistration.objects.filter(pk=pending.pk).update(last_name="Rosemonde\u202e")
    submit_simplified(simplified_data, link_for=link_for)
    SimplifiedRegistration.objects.update(last_name="Lila ")  # not normalised

    out, error = _report()

    assert error is not None and error.returncode == 1
    assert "3 nom(s) non conforme(s)" in str(error)
    lines = out.splitlines()
    assert len(lines) == 3
    assert any(
        line.startswith(f"accounts.Subscriber #{bad.pk} 'bad@example.fr' first_name=")
        and "\\n" in line
        for line in lines
    )
    assert any("accounts.PendingRegistration" in line and "\\u202e" in line for line in lines)
    assert any(
        "habilitations.SimplifiedRegistration" in line and "normalisé" in line for line in lines
    )
    assert "ok@example.fr" not in out
    # Nothing was changed.
    assert Subscriber.objects.get(pk=bad.pk).first_name == HOSTILE


def test_the_report_succeeds_when_every_name_follows_the_rule(db):
    SubscriberFactory()
    out, error = _report()
    assert error is None
    assert "Aucun nom non conforme." in out


def test_the_demo_has_only_valid_names(db, letters_dir):
    from demo.demo import load_demo

    load_demo()
    out, error = _report()
    assert error is None, out
