"""Content-coding negotiation (RFC 9110 §12.5.3): q-values honoured, q=0 refuses a coding.

Hand-written because it runs on every cached hit and must be allocation-free once memoised;
the parsing rules are a dozen lines.
"""

from __future__ import annotations

# Preference among equal q-values: the smallest body first.
CODINGS = ("br", "gzip", "identity")
_ALIASES = {"x-gzip": "gzip"}
_MEMO_LIMIT = 1024

_memo: dict[str, tuple[str, ...]] = {}


def parse_accept_encoding(header: str) -> dict[str, float]:
    """{coding: q} as the client sent it (lower-cased; malformed q-values count as 0)."""
    accepted: dict[str, float] = {}
    for part in header.split(","):
        token, *params = part.split(";")
        token = token.strip().lower()
        if not token:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(1.0, max(0.0, float(value.strip())))
                except ValueError:
                    quality = 0.0
        accepted[_ALIASES.get(token, token)] = quality
    return accepted


def acceptable_codings(header: str | None) -> tuple[str, ...]:
    """Codings the client accepts, best first. No header: identity only (the safe reading).

    identity stays acceptable unless refused by `identity;q=0` or `*;q=0` without an explicit
    identity; when the client refuses everything we can send, identity is still sent
    (RFC 9110 allows it rather than a 406 for an API client).
    """
    if not header:
        return ("identity",)
    known = _memo.get(header)
    if known is not None:
        return known
    accepted = parse_accept_encoding(header)
    star = accepted.get("*")
    ranked = []
    for order, coding in enumerate(CODINGS):
        if coding in accepted:
            quality = accepted[coding]
        elif star is not None:
            quality = star
        else:
            quality = 1.0 if coding == "identity" else 0.0
        if quality > 0:
            ranked.append((-quality, order, coding))
    result = tuple(coding for _, _, coding in sorted(ranked)) or ("identity",)
    if len(_memo) >= _MEMO_LIMIT:
        _memo.clear()
    _memo[header] = result
    return result


def choose_coding(header: str | None, available) -> str:
    for coding in acceptable_codings(header):
        if coding in available:
            return coding
    return "identity"


def clear() -> None:
    _memo.clear()
