"""Text as the search sees it: accent folding, words, per-language stems, and highlighting.

Pure functions, the same for both back ends: the SQLite back end stores the stems made here,
and both back ends highlight with `highlight`, so a result reads the same whichever database
serves it. Folding comes before stemming, so "construção" and "construcao" give one stem.
"""

from __future__ import annotations

import functools
import html
import re
import sys
import threading
import unicodedata
from collections.abc import Iterable

import snowballstemmer

#: The languages with a stemmer; any other language is folded but not stemmed.
LANGUAGES = ("en", "es", "pt", "fr")
_STEMMERS = {"en": "english", "es": "spanish", "pt": "portuguese", "fr": "french"}
# Letters and digits (not "_", which FTS5 and PostgreSQL's parser take for a separator).
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_SPLIT = re.compile(r"([^\W_]+)", re.UNICODE)
#: The least similarity (0..1, as pg_trgm's word_similarity) for a misspelled match.
FUZZY_THRESHOLD = 0.3
_SNIPPET_WORDS = 30


@functools.cache
def _combining(low: int, high: int) -> re.Pattern[str]:
    """The combining characters (accents and other marks) from `low` to `high` as one class:
    the basic plane's apart, which `re` matches with a bitmap, quickly."""
    ranges: list[list[int]] = []
    for point in range(low, high + 1):
        if unicodedata.combining(chr(point)):
            if ranges and ranges[-1][1] == point - 1:
                ranges[-1][1] = point
            else:
                ranges.append([point, point])
    return re.compile("[" + "".join(f"{chr(start)}-{chr(end)}" for start, end in ranges) + "]")


def fold(text: str) -> str:
    """`text` in lower case without accents ("Construção" -> "construcao")."""
    if text.isascii():
        return text.lower()
    folded = _combining(0, 0xFFFF).sub("", unicodedata.normalize("NFKD", text.casefold()))
    if folded and max(folded) > "\uffff":
        folded = _combining(0x10000, sys.maxunicode).sub("", folded)
    return folded


def words(text: str) -> list[str]:
    """The folded words of `text`."""
    return _WORD.findall(fold(text))


def search_language(language: str | None) -> str:
    """The stemming language of a release `language` ("pt-BR" -> "pt"); "" when none fits."""
    code = (language or "").lower()[:2]
    return code if code in LANGUAGES else ""


_local = threading.local()


def _stemmer(language: str) -> snowballstemmer.Stemmer | None:
    """This thread's stemmer of `language` (a stemmer keeps state while it stems a word, so
    threads never share one)."""
    name = _STEMMERS.get(language)
    if name is None:
        return None
    mine: dict[str, snowballstemmer.Stemmer] = _local.__dict__.setdefault("stemmers", {})
    if name not in mine:
        mine[name] = snowballstemmer.stemmer(name)
    return mine[name]


#: How many (language, word) stems are remembered: the Snowball stemmers are pure Python (tens
#: of microseconds a word), and a search or an index load stems the same words over and over.
STEM_CACHE = 200_000


@functools.lru_cache(maxsize=STEM_CACHE)
def stem(word: str, language: str) -> str:
    """The stem of one folded word in `language` (the word itself when it has no stemmer)."""
    stemmer = _stemmer(language)
    return stemmer.stemWord(word) if stemmer is not None else word


def stems(text: str, language: str) -> list[str]:
    """The stems of the words of `text` in `language` (folded words when it has no stemmer)."""
    return [stem(word, language) for word in words(text)]


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
    """Whether one word of a text (as `_WORD` finds it) matches: its stem is wanted, or it is
    similar enough to one of `fuzzy_words`."""
    folded = fold(word)
    parts = [folded] if folded.isalnum() else _WORD.findall(folded)
    if wanted and any(stem(part, language) in wanted for part in parts):
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
    # Gaps and words alternate: [gap, word, gap, word, ..., gap].
    pieces = _SPLIT.split(text)
    known: dict[str, bool] = {}
    hits = [False] * len(pieces)
    for index in range(1, len(pieces), 2):
        word = pieces[index]
        if word not in known:
            known[word] = _matches(word, language, wanted, fuzzy_words)
        hits[index] = known[word]
    start, end = 0, len(pieces)
    if snippet:
        first = next((index for index in range(1, len(pieces), 2) if hits[index]), 1)
        # From a word to a word (odd places), about _SNIPPET_WORDS words.
        start = max(0, first - _SNIPPET_WORDS // 2) | 1
        end = min(len(pieces), start + _SNIPPET_WORDS * 2)
        if end % 2 == 1:
            end -= 1
        # Nothing but a gap cut off at either end: keep it, with no ellipsis.
        start = 0 if start == 1 else start
        end = len(pieces) if end >= len(pieces) - 1 else end
    out = ["… "] if start > 0 else []
    for index in range(start, end):
        part = html.escape(pieces[index])
        out.append(f"<mark>{part}</mark>" if hits[index] else part)
    if end < len(pieces):
        out.append(" …")
    return "".join(out)


def joined(parts: Iterable[str]) -> str:
    """Non-empty `parts`, one per line."""
    return "\n".join(part for part in parts if part)


def reference_key(text: str) -> str:
    """A reference as it is compared: folded, letters and digits only
    ("MIDH-GOB-2026/08" and "midh gob 2026 08" -> "midhgob202608")."""
    return "".join(char for char in fold(text) if char.isalnum())


#: The shortest and longest words kept in the vocabulary of misspellings.
VOCABULARY_WORD = (3, 40)


def vocabulary_words(text: str) -> set[str]:
    """The folded words of `text` that a misspelling may stand for: letters only, 3 to 40 of
    them (numbers and codes are not misspelled into one another)."""
    shortest, longest = VOCABULARY_WORD
    return {word for word in words(text) if shortest <= len(word) <= longest and word.isalpha()}


def padded_trigrams(word: str) -> list[str]:
    """The trigrams of one folded word in order, padded as pg_trgm pads them (two spaces
    before, one after): "sol" -> ["  s", " so", "sol", "ol "]."""
    padded = f"  {word} "
    return [padded[index : index + 3] for index in range(len(padded) - 2)]


def trigram_word_similarity(query: str, word: str) -> float:
    """How well the folded word `query` appears in the folded word `word`, 0..1, as pg_trgm's
    `word_similarity(query, word)`: the best, over the runs of consecutive trigrams of `word`,
    of the trigrams shared with `query` over the trigrams of both. A misspelled word finds the
    words it is a part of too ("hopsital" is 0.31 like "hospitalares", 0.38 like "hospital")."""
    wanted = set(padded_trigrams(query))
    found = padded_trigrams(word)
    best = 0.0
    for start in range(len(found)):
        if found[start] not in wanted:
            continue
        extent: set[str] = set()
        for end in range(start, len(found)):
            extent.add(found[end])
            if found[end] not in wanted:
                continue
            shared = len(wanted & extent)
            best = max(best, shared / (len(wanted) + len(extent) - shared))
    return best


def facet_token(kind: str, value: str) -> str:
    """The full-text token of one facet value: "z", the facet's letter, then the value's UTF-8
    bytes in hexadecimal, so any value is one token of letters and digits that no word of a
    text can be ("zc434c" is the country CL)."""
    return f"z{kind}{value.encode().hex()}"
