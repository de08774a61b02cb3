"""« Ecouter l'extrait sonore »: the CAPTCHA's characters spoken in French (docs/accounts.md §15).

django-simple-captcha keeps the challenge (`CaptchaStore`) and draws the image; its own audio
view expects a flite-like program and writes temporary files, without a time limit. The sound
is made here instead, from the same challenge: Debian's espeak-ng (`-v fr`) reads each character
one at a time, with the word of the French spelling alphabet that goes with it (« B, comme
Berthe »), so that letters that sound alike (B, D, P, T, V) can be told apart by ear. Where
espeak-ng is missing the pages say that the sound is not available and give the assistance's
number (`speech_available`), and `manage.py check` warns.
"""

import io
import shutil
import subprocess
import wave

from captcha.models import CaptchaStore
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.checks import Warning as CheckWarning
from django.core.checks import register
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from core import clock
from web.limits import per_address

# The French spelling alphabet (the one used on the telephone), one word per letter.
SPELLING = {
    "A": "Anatole",
    "B": "Berthe",
    "C": "Célestin",
    "D": "Désiré",
    "E": "Eugène",
    "F": "François",
    "G": "Gaston",
    "H": "Henri",
    "I": "Irma",
    "J": "Joseph",
    "K": "Kléber",
    "L": "Louis",
    "M": "Marcel",
    "N": "Nicolas",
    "O": "Oscar",
    "P": "Pierre",
    "Q": "Quintal",
    "R": "Raoul",
    "S": "Suzanne",
    "T": "Thérèse",
    "U": "Ursule",
    "V": "Victor",
    "W": "William",
    "X": "Xavier",
    "Y": "Yvonne",
    "Z": "Zoé",
}
DIGITS = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"]
SPEECH_TIMEOUT_SECONDS = 5


def spoken_text(challenge: str) -> str:
    """What is said for a challenge: each character alone, then its spelling word."""
    parts = []
    for char in challenge.upper():
        if char in SPELLING:
            parts.append(f"{char}, comme {SPELLING[char]}.")
        elif char.isdigit():
            parts.append(f"le chiffre {DIGITS[int(char)]}.")
        else:
            parts.append(f"{char}.")
    count = len(parts)
    return f"{count} caractères à recopier. " + " ".join(parts) + " Fin des caractères."


def speech_command() -> str:
    """The espeak-ng program, or "" when this server has none."""
    configured = settings.CAPTCHA_SPEECH_COMMAND
    return (shutil.which(configured) or "") if configured else ""


def speech_available() -> bool:
    return bool(speech_command())


def synthesize(text: str) -> bytes:
    """A WAV file of `text` read in French (espeak-ng writes to a pipe a header whose sizes are
    unknown; it is written again with the real ones)."""
    result = subprocess.run(  # noqa: S603 (a fixed program; the text is one argument, not a shell)
        [speech_command(), "-v", "fr", "-s", str(settings.CAPTCHA_SPEECH_RATE), "--stdout", text],
        capture_output=True,
        timeout=SPEECH_TIMEOUT_SECONDS,
        check=True,
    )
    with wave.open(io.BytesIO(result.stdout)) as raw:
        params = raw.getparams()
        frames = raw.readframes(raw.getnframes())
    out = io.BytesIO()
    with wave.open(out, "wb") as fixed:
        fixed.setparams(params)
        fixed.writeframes(frames)
    return out.getvalue()


@login_not_required
@require_GET
@per_address("captcha_audio.address")
def captcha_audio(request, key: str):
    """The sound of one CAPTCHA, while it is valid (the same life as its image)."""
    store = CaptchaStore.objects.filter(hashkey=key, expiration__gt=clock.now()).first()
    if store is None or not speech_available():
        raise Http404
    response = HttpResponse(synthesize(spoken_text(store.challenge)), content_type="audio/wav")
    response["Cache-Control"] = "no-store"
    return response


@register()
def check_speech(app_configs, **kwargs):
    """Warn where the CAPTCHA cannot be heard: a blind person could not get past it."""
    if speech_available():
        return []
    return [
        CheckWarning(
            "espeak-ng is missing: the CAPTCHA's sound (« Ecouter l'extrait sonore ») is not "
            "available, and the pages say so.",
            hint="apt-get install espeak-ng (make test does it), or set CAPTCHA_SPEECH_COMMAND.",
            id="web.W001",
        )
    ]
