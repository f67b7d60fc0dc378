"""The README and docs/ stand alone in the repository: every relative link points to a file or folder that exists,
and nothing points to design notes outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# [text](target) and [text](target "title"); images too. Reference-style links are not used in these pages.
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)


def pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("**/*.md"))]


def _without_code(markdown: str) -> str:
    """The page without fenced code blocks (shell examples are not links)."""
    return re.sub(r"^```.*?^```", "", markdown, flags=re.MULTILINE | re.DOTALL)


def relative_links(page: Path) -> list[str]:
    return [t for t in LINK.findall(_without_code(page.read_text(encoding="utf-8"))) if not EXTERNAL.match(t)]


def broken_links(page: Path) -> list[str]:
    broken = []
    for target in relative_links(page):
        path = target.split("#", 1)[0].split("?", 1)[0]
        if not (page.parent / path).exists():
            broken.append(target)
    return broken


def test_it_sees_links_and_broken_ones(tmp_path):
    (tmp_path / "there.md").write_text("x", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text("[a](there.md) [b](there.md#part) [c](missing.md) [d](https://example.org) [e](#top)\n"
                    "```sh\n[not](a-link.md)\n```\n", encoding="utf-8")
    assert relative_links(page) == ["there.md", "there.md#part", "missing.md"]
    assert broken_links(page) == ["missing.md"]


def test_the_docs_exist_and_are_linked():
    linked = {(ROOT / t.split("#")[0]).resolve() for t in relative_links(ROOT / "README.md")}
    for name in ("README.md", "architecture.md", "configuration.md", "api.md", "domain.md"):
        page = ROOT / "docs" / name
        assert page.exists(), name
        assert page.resolve() in linked, f"README.md does not link docs/{name}"


def test_every_relative_link_points_to_a_file():
    broken = {str(page.relative_to(ROOT)): broken_links(page) for page in pages()}
    assert not {page: links for page, links in broken.items() if links}


def test_nothing_points_outside_the_repository():
    for page in pages():
        text = page.read_text(encoding="utf-8")
        assert "../shared" not in text, page
        assert "DESIGN.md" not in text and "DOMAIN.md" not in text, page
