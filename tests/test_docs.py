"""The user guides (`docs/guides/<name>.<language>.md`): each guide in four languages, so each
has the same sections, in the same order and at the same levels; every link to another file of
the repository leads to one; each is linked from the README and from the documentation of its
topic; and the French one keeps a no-break space before its high punctuation.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDES = ROOT / "docs" / "guides"
LANGUAGES = ("en", "es", "pt-BR", "fr")
#: Each guide, and the documentation of its topic that links it (the README links them all).
GUIDES_LINKED_FROM = {
    "msme": "suppliers.md",
    "catalogue": "suppliers.md",
    "subcontracting": "subcontracting.md",
    "plans": "procurement-plans.md",
    "quick-quotes": "quick-quotes.md",
}
NAMES = tuple(GUIDES_LINKED_FROM)

_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_HEADING = re.compile(r"^(#{1,6}) \S", re.MULTILINE)
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)


def guide(name: str, language: str) -> Path:
    return GUIDES / f"{name}.{language}.md"


def prose(text: str) -> str:
    """The text without its code (fenced blocks and code spans), where links and typography
    are not meant."""
    return _CODE_SPAN.sub("", _FENCE.sub("", text))


def heading_levels(text: str) -> list[int]:
    return [len(match.group(1)) for match in _HEADING.finditer(prose(text))]


def internal_links(text: str) -> list[str]:
    """The targets of the links to files of the repository (not web addresses, not anchors of
    the same page), without their anchor."""
    targets = (match.group(1) for match in _LINK.finditer(prose(text)))
    return [target.split("#", 1)[0] for target in targets if not _EXTERNAL.match(target)]


@pytest.mark.parametrize("name", NAMES)
def test_the_guide_exists_in_the_four_languages(name: str) -> None:
    assert [language for language in LANGUAGES if not guide(name, language).is_file()] == []


@pytest.mark.parametrize("name", NAMES)
def test_the_four_guides_have_the_same_sections(name: str) -> None:
    levels = {
        language: heading_levels(guide(name, language).read_text("utf-8")) for language in LANGUAGES
    }
    assert len(levels["en"]) > 4
    for language in LANGUAGES[1:]:
        assert len(levels[language]) == len(levels["en"]), language
        assert levels[language] == levels["en"], language


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_internal_link_of_a_guide_leads_to_a_file(name: str, language: str) -> None:
    path = guide(name, language)
    links = internal_links(path.read_text("utf-8"))
    assert links  # the other languages and the documentation
    broken = [link for link in links if not (path.parent / link).resolve().is_file()]
    assert broken == []


@pytest.mark.parametrize("name", NAMES)
def test_the_guides_are_linked_from_the_readme_and_their_topic(name: str) -> None:
    for source in (ROOT / "README.md", ROOT / "docs" / GUIDES_LINKED_FROM[name]):
        text = source.read_text("utf-8")
        linked = {(source.parent / link).resolve() for link in internal_links(text)}
        assert {guide(name, language).resolve() for language in LANGUAGES} <= linked, source


@pytest.mark.parametrize("name", NAMES)
def test_the_french_guide_keeps_no_break_spaces_before_high_punctuation(name: str) -> None:
    text = prose(guide(name, "fr").read_text("utf-8"))
    wrong = re.findall(r".{0,20}(?: [:;?!»]|« ).{0,20}", text)
    assert wrong == []


def test_internal_links_ignore_addresses_anchors_and_code() -> None:
    text = (
        "[a](../suppliers.md#the-scale) [b](https://example.org/x.md) [c](#here) "
        "[d](mailto:x@example.org) `[e](missing.md)`\n```\n[f](missing.md)\n```\n"
    )
    assert internal_links(text) == ["../suppliers.md"]
