"""The README and docs/ stand alone in the repository: every relative link points to a file or folder that exists
(and to a heading the page has, when it names one), and nothing points to design notes outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# [text](target) and [text](target "title"); images too. Reference-style links are not used in these pages.
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)
LOCAL_ANCHOR = re.compile(r"\]\((#[^)\s]+)\)")  # [text](#heading) on the same page


def pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("**/*.md"))]


def _without_code(markdown: str) -> str:
    """The page without fenced code blocks (shell examples are not links)."""
    return re.sub(r"^```.*?^```", "", markdown, flags=re.MULTILINE | re.DOTALL)


def relative_links(page: Path) -> list[str]:
    return [t for t in LINK.findall(_without_code(page.read_text(encoding="utf-8"))) if not EXTERNAL.match(t)]


def anchors(page: Path) -> set[str]:
    """The anchors of a Markdown page's headings, as GitHub makes them: lower case, punctuation dropped (letters with
    diacritics kept), spaces to hyphens."""
    slugs = set()
    for heading in re.findall(r"^#+\s+(.+?)\s*$", _without_code(page.read_text(encoding="utf-8")), re.MULTILINE):
        slugs.add(re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-"))
    return slugs


def broken_links(page: Path) -> list[str]:
    """Links to a file that does not exist, or to a heading a Markdown page does not have."""
    broken = []
    for target in [*relative_links(page), *LOCAL_ANCHOR.findall(_without_code(page.read_text(encoding="utf-8")))]:
        path, _, anchor = target.split("?", 1)[0].partition("#")
        linked = page.parent / path if path else page
        if not linked.exists():
            broken.append(target)
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(target)
    return broken


def test_it_sees_links_and_broken_ones(tmp_path):
    page = tmp_path / "page.md"
    (tmp_path / "there.md").write_text("# Part one: the rules (Decree 09)\n", encoding="utf-8")
    page.write_text("## Top\n[a](there.md) [b](there.md#part-one-the-rules-decree-09) [c](missing.md) "
                    "[d](https://example.org) [e](#top) [f](there.md#nowhere) [g](#bottom)\n"
                    "```sh\n[not](a-link.md)\n```\n", encoding="utf-8")
    assert relative_links(page) == ["there.md", "there.md#part-one-the-rules-decree-09", "missing.md",
                                    "there.md#nowhere"]
    assert broken_links(page) == ["missing.md", "there.md#nowhere", "#bottom"]


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
