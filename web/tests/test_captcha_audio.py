"""« Ecouter l'extrait sonore » (docs/accounts.md §15): every CAPTCHA can be heard, in French,
one character at a time; where espeak-ng is missing the page says so."""

import io
import re
import shutil
import wave
from datetime import timedelta

import pytest
import time_machine
from captcha.models import CaptchaStore

from tests.helpers import CURRENT_TIME, captcha_answer
from web.captcha_audio import spoken_text

pytestmark = pytest.mark.django_db
needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng missing (make speech-deps)"
)
EXPIRED_STEP1 = "/mot-de-passe-expire/"


def _audio_url(page: str) -> str:
    match = re.search(r'href="(/captcha/son/\w+\.wav)" data-captcha-audio', page)
    assert match, "no « Ecouter l'extrait sonore » on the page"
    return match.group(1)


def test_each_character_is_said_alone_then_with_its_spelling_word():
    text = spoken_text("BDPT7")
    assert text.startswith("5 caractères à recopier.")
    assert "B, comme Berthe. D, comme Désiré. P, comme Pierre. T, comme Thérèse." in text
    assert "le chiffre sept." in text


def test_a_lower_case_challenge_is_said_in_capitals():
    assert "W, comme William." in spoken_text("w")


@needs_espeak
def test_the_expired_password_captcha_can_be_heard_as_a_wav_of_its_characters(client):
    page = client.get(EXPIRED_STEP1).content.decode().replace("&#x27;", "'")
    assert "Ecouter l'extrait sonore" in page
    url = _audio_url(page)
    assert (
        url.removeprefix("/captcha/son/").removesuffix(".wav") == captcha_answer(page)["captcha_0"]
    )

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav"
    assert response["Cache-Control"] == "no-store"
    with wave.open(io.BytesIO(response.content)) as sound:
        seconds = sound.getnframes() / sound.getframerate()
    # Six characters with their words, read slowly: several seconds, not an empty file.
    assert seconds > 8


@needs_espeak
def test_the_sound_of_a_used_or_expired_captcha_is_gone(client):
    with time_machine.travel(CURRENT_TIME, tick=False):
        key = CaptchaStore.generate_key()
    with time_machine.travel(CURRENT_TIME + timedelta(minutes=11), tick=False):
        assert client.get(f"/captcha/son/{key}.wav").status_code == 404
    assert client.get("/captcha/son/unknown.wav").status_code == 404


@needs_espeak
def test_the_sound_is_limited_per_address(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "captcha_audio.address": "2/1m"}
    key = CaptchaStore.generate_key()
    statuses = [client.get(f"/captcha/son/{key}.wav").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_without_espeak_the_page_says_the_sound_is_missing_and_whom_to_call(client, settings):
    settings.CAPTCHA_SPEECH_COMMAND = "no-such-program"
    settings.ASSISTANCE_PHONE = "0809 400 210"
    page = client.get(EXPIRED_STEP1).content.decode().replace("&#x27;", "'")
    assert "Ecouter l'extrait sonore" not in page
    assert "La version sonore de l'image n'est pas disponible pour le moment" in page
    assert "appelez l'assistance au 0809 400 210" in page


@needs_espeak
def test_the_login_captcha_and_the_simplified_recap_have_the_sound_too(client):
    from web.simplified.forms import RecapForm
    from web.space.forms import LoginForm

    for form in (RecapForm(), LoginForm(with_captcha=True)):
        assert "Ecouter l'extrait sonore" in str(form["captcha"].as_field_group()).replace(
            "&#x27;", "'"
        )
