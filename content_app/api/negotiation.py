"""Content negotiation that honours `q=0` (RFC 9110 §12.4.2: "not acceptable")."""

from rest_framework.negotiation import DefaultContentNegotiation


def _refused(media_range: str) -> bool:
    for param in media_range.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value.strip()) == 0
            except ValueError:
                return False
    return False


class QualityNegotiation(DefaultContentNegotiation):
    """DRF ignores quality values, so `Accept: application/json;q=0, text/html` got JSON."""

    def get_accept_list(self, request):
        return [token for token in super().get_accept_list(request) if not _refused(token)]
