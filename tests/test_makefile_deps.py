"""`make run` and `make test` install the system programs they need (espeak-ng, Chromium,
nginx) when they can, and warn only when the program is still missing afterwards: apt-get may
exit non-zero although the program got installed (by a concurrent run holding the lock, by a
failing trigger), and a warning then would send someone after a problem that is not there.

The Makefile's targets run for real, with `apt-get` and `id` replaced on PATH by stubs: a test
cannot install Debian packages, and the question is only what the target decides from what it
finds afterwards."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAKE = shutil.which("make")

pytestmark = pytest.mark.skipif(MAKE is None, reason="no make on this machine")

# apt-get as a concurrent run leaves it: the package's program appears, this run fails (100 is
# apt-get's exit status for a held lock). With APT_INSTALLS=0 it installs nothing.
APT_GET = """#!/bin/sh
for last; do :; done
if [ "$1" = install ] && [ "$APT_INSTALLS" != 0 ]; then
    printf '#!/bin/sh\\n' > "$STUB_BIN/$last" && /bin/chmod +x "$STUB_BIN/$last"
fi
exit 100
"""


def _stub(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(0o755)


def _make(tmp_path, target: str, *, installs: bool) -> str:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _stub(bin_dir / "apt-get", APT_GET)
    _stub(bin_dir / "id", "#!/bin/sh\necho 0\n")  # root, so that the target tries to install
    env = {
        # Only the stubs: the machine's own espeak-ng, if any, must not be found first.
        "PATH": str(bin_dir),
        "STUB_BIN": str(bin_dir),
        "APT_INSTALLS": "1" if installs else "0",
        "HOME": str(tmp_path),
    }
    done = subprocess.run(
        [
            MAKE,
            "-s",
            "-C",
            str(ROOT),
            target,
            f"CHROMIUM={bin_dir / 'chromium'}",
            f"NGINX={bin_dir / 'nginx'}",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


@pytest.mark.parametrize(
    ("target", "program"),
    [("speech-deps", "espeak-ng"), ("browser-deps", "chromium"), ("nginx-deps", "nginx")],
)
def test_no_warning_when_the_program_is_there_after_a_failed_apt_get(tmp_path, target, program):
    out = _make(tmp_path, target, installs=True)
    assert (tmp_path / "bin" / program).exists()
    assert "WARNING" not in out, out


@pytest.mark.parametrize(
    ("target", "program"),
    [("speech-deps", "espeak-ng"), ("browser-deps", "chromium"), ("nginx-deps", "nginx")],
)
def test_a_warning_when_the_program_is_still_missing(tmp_path, target, program):
    out = _make(tmp_path, target, installs=False)
    assert f"WARNING: could not install {program}" in out, out


def test_nothing_is_said_when_the_program_was_already_there(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _stub(bin_dir / "espeak-ng", "#!/bin/sh\n")
    done = subprocess.run(
        [MAKE, "-s", "-C", str(ROOT), "speech-deps"],
        env={"PATH": str(bin_dir), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0 and done.stdout == done.stderr == ""
