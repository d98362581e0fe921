"""Query expansion from the editors' synonyms: "bakers cyst pain" also searches
"popliteal cyst pain". Matching ignores case, apostrophes and punctuation."""

import re

from content_app import models as m

MAX_ALTERNATIVES = 12
_APOSTROPHES = re.compile(r"['’]")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    return _NOT_WORD.sub(" ", _APOSTROPHES.sub("", text.lower())).strip()


def groups() -> list[list[str]]:
    """Active synonym groups, normalised (1 query)."""
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
