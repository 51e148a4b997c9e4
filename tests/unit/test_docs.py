"""The reference notes the code cites exist, and every citation names one of their sections."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NOTES = REPO / "docs" / "api-notes.md"
# How code cites the notes: the file, a comma, and a section title in double quotes.
CITATION = re.compile(r'docs/api-notes\.md, "([^"]+)"')


def _sources() -> list[Path]:
    return sorted(p for top in ("pulumi_relaytask", "tests", "scripts") for p in (REPO / top).rglob("*.py"))


def test_every_citation_names_a_section_of_the_notes() -> None:
    sections = {line.lstrip("#").strip() for line in NOTES.read_text().splitlines() if line.startswith("#")}
    cited = {
        (path.relative_to(REPO).as_posix(), title)
        for path in _sources()
        for title in CITATION.findall(path.read_text())
    }
    assert len({path for path, _ in cited}) >= 10, "the clouds' models, rules, clients and signers cite the notes"
    assert {(path, title) for path, title in cited if title not in sections} == set()


def test_no_source_cites_a_file_outside_the_repository() -> None:
    others = [p for p in _sources() if p != Path(__file__).resolve()]
    assert [p.relative_to(REPO).as_posix() for p in others if "api-contracts" in p.read_text()] == []
