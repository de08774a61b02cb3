"""Template comments: Django's {# … #} holds on one line only; spread over two, it is printed."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_template_comment_spreads_over_several_lines():
    spread = [
        f"{path.relative_to(ROOT)}:{number}"
        for source in ("web", "correspondence")
        for path in (ROOT / source).rglob("*.*")
        if path.suffix in {".html", ".txt"}
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert spread == []


def test_the_home_page_shows_no_template_comment(client, db):
    page = client.get("/").content.decode()
    assert "{#" not in page and "#}" not in page
