"""Query expansion from the editors' synonyms: "bakers cyst pain" also searches
"popliteal cyst pain". Matching ignores case, apostrophes and punctuation."""

import re

from content_app import models as m

MAX_ALTERNATIVES = 12
_APOSTROPHES = re.compile(r"['’]")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    return _NOT_WORD.sub(" ", _APOSTROPHES.sub("", text.lower())).strip()


_memo: dict = {}  # {content version: groups}: a synonym edit moves the version (index.py)


def groups() -> list[list[str]]:
    """Active synonym groups, normalised; read once per content version."""
    from content_app.changelog import content_version

    version = content_version()
    key = (version.head, version.changed_at)
    if key not in _memo:
        _memo.clear()
        _memo[key] = _read_groups()
    return _memo[key]


def _read_groups() -> list[list[str]]:
    found = []
    for synonym in m.Synonym.objects.filter(active=True).only("terms"):
        terms = list(dict.fromkeys(normalise(term) for term in synonym.term_list()))
        terms = [term for term in terms if term]
        if len(terms) > 1:
            found.append(terms)
    return found


def alternatives(query: str, synonym_groups: list[list[str]]) -> list[str]:
    """The query with each known term replaced by each of its synonyms (not the query itself)."""
    padded = f" {normalise(query)} "
    found = []
    for terms in synonym_groups:
        for term in terms:
            if f" {term} " not in padded:
                continue
            for other in terms:
                if other != term:
                    found.append(padded.replace(f" {term} ", f" {other} ").strip())
    return list(dict.fromkeys(found))[:MAX_ALTERNATIVES]
