"""Text as the search sees it: accent folding, words, per-language stems, and highlighting.

Pure functions, the same for both back ends: the SQLite back end stores the stems made here,
and both back ends highlight with `highlight`, so a result reads the same whichever database
serves it. Folding comes before stemming, so "construção" and "construcao" give one stem.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

import snowballstemmer
from django.utils.html import escape

#: The languages with a stemmer; any other language is folded but not stemmed.
LANGUAGES = ("en", "es", "pt", "fr")
_STEMMERS = {"en": "english", "es": "spanish", "pt": "portuguese", "fr": "french"}
_WORD = re.compile(r"\w+", re.UNICODE)
#: The least similarity (0..1, as pg_trgm's word_similarity) for a misspelled match.
FUZZY_THRESHOLD = 0.3
_SNIPPET_WORDS = 30


def fold(text: str) -> str:
    """`text` in lower case without accents ("Construção" -> "construcao")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The folded words of `text`."""
    return _WORD.findall(fold(text))


def search_language(language: str | None) -> str:
    """The stemming language of a release `language` ("pt-BR" -> "pt"); "" when none fits."""
    code = (language or "").lower()[:2]
    return code if code in LANGUAGES else ""


@functools.cache
def _stemmer(language: str) -> snowballstemmer.Stemmer | None:
    name = _STEMMERS.get(language)
    return snowballstemmer.stemmer(name) if name else None


def stems(text: str, language: str) -> list[str]:
    """The stems of the words of `text` in `language` (folded words when it has no stemmer)."""
    folded = words(text)
    stemmer = _stemmer(language)
    if stemmer is None:
        return folded
    # The stemmers are not thread-safe objects; the lock-free path is one call per list.
    return list(stemmer.stemWords(folded))


def trigrams(word: str) -> set[str]:
    """The trigrams of one folded word, padded as pg_trgm pads them."""
    padded = f"  {word} "
    return {padded[index : index + 3] for index in range(len(padded) - 2)}


def word_similarity(query: str, text: str) -> float:
    """How well the words of `query` appear in `text`, 0..1, after pg_trgm's word_similarity:
    for each query word, the best trigram similarity (shared trigrams over all trigrams of
    both) with one word of `text`; averaged over the query words."""
    query_words = words(query)
    text_words = {word: trigrams(word) for word in words(text)}
    if not query_words or not text_words:
        return 0.0
    total = 0.0
    for word in query_words:
        wanted = trigrams(word)
        total += max(len(wanted & found) / len(wanted | found) for found in text_words.values())
    return total / len(query_words)


def _matches(word: str, language: str, wanted: set[str], fuzzy_words: list[str]) -> bool:
    folded = fold(word)
    if wanted and set(stems(folded, language)) & wanted:
        return True
    return any(word_similarity(query, folded) >= FUZZY_THRESHOLD for query in fuzzy_words)


def highlight(
    text: str,
    *,
    query: str,
    language: str,
    fuzzy: bool = False,
    snippet: bool = False,
) -> str:
    """`text` as escaped HTML with the words that match `query` in `<mark>`.

    A word matches when its stem in `language` is a stem of a query word (or, for a `fuzzy`
    result, when it is similar enough to a query word). With `snippet`, only a window of words
    around the first match is kept, with an ellipsis where text was cut.
    """
    wanted = set(stems(query, language))
    fuzzy_words = words(query) if fuzzy else []
    pieces: list[tuple[str, bool]] = []
    position = 0
    for found in _WORD.finditer(text):
        if found.start() > position:
            pieces.append((text[position : found.start()], False))
        pieces.append((found.group(), _matches(found.group(), language, wanted, fuzzy_words)))
        position = found.end()
    if position < len(text):
        pieces.append((text[position:], False))
    if snippet:
        pieces = _window(pieces)
    return "".join(f"<mark>{escape(part)}</mark>" if hit else escape(part) for part, hit in pieces)


def _window(pieces: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """About `_SNIPPET_WORDS` words around the first match (pieces alternate word and gap)."""
    first = next((index for index, (_part, hit) in enumerate(pieces) if hit), 0)
    start = max(0, first - _SNIPPET_WORDS // 2)
    end = min(len(pieces), start + _SNIPPET_WORDS * 2)
    window = pieces[start:end]
    if start > 0:
        window.insert(0, ("… ", False))
    if end < len(pieces):
        window.append((" …", False))
    return window


def joined(parts: Iterable[str]) -> str:
    """Non-empty `parts`, one per line."""
    return "\n".join(part for part in parts if part)
