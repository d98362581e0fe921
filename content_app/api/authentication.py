"""Partner API keys (djangorestframework-api-key, PartnerKey); the limits are in throttling.py.

Anonymous reads are allowed at `API_RATE_ANON`; a valid key (`Authorization: Api-Key <key>`,
`Authorization: Bearer <key>` or `X-Api-Key: <key>`) reads at `API_RATE_PARTNER`. Bearer is
there because generated clients (openapi-python-client's AuthenticatedClient) send it by
default. A key that is present but invalid, revoked or expired is a 401 with
`WWW-Authenticate`, never a silent downgrade to anonymous. The anonymous path costs no
database query (the throttle lives in the cache).
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from content_app.models import PartnerKey

KEYWORD = "Api-Key"
# Authorization schemes that carry the key: ours, and the one generated clients default to.
KEY_SCHEMES = frozenset({KEYWORD.lower(), "bearer"})


class Partner:
    """The request.user of a request made with a valid API key."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False

    def __init__(self, api_key):
        self.api_key = api_key
        self.pk = None
        self.username = f"partner:{api_key.prefix}"

    def __str__(self):
        return self.username


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def get_key(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        keyword, _, key = header.partition(" ")
        if keyword.lower() in KEY_SCHEMES:
            return key.strip()
        custom = request.META.get("HTTP_X_API_KEY")
        return custom.strip() if custom is not None else None

    def authenticate(self, request):
        key = self.get_key(request)
        if key is None:
            return None
        if not key:
            raise exceptions.AuthenticationFailed("The API key is empty.")
        try:
            api_key = PartnerKey.objects.get_from_key(key)
        except (PartnerKey.DoesNotExist, ValueError):
            raise exceptions.AuthenticationFailed("The API key is not valid.") from None
        if api_key.has_expired:
            raise exceptions.AuthenticationFailed("The API key has expired.")
        return (Partner(api_key), api_key)

    def authenticate_header(self, request):
        # The challenge names the scheme the client used (RFC 6750 for Bearer).
        scheme = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")[0].lower()
        if scheme == "bearer":
            return 'Bearer realm="api", error="invalid_token"'
        return f'{KEYWORD} realm="api"'


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = ["ApiKeyAuth", "XApiKeyAuth", "BearerAuth"]

    def get_security_requirement(self, auto_schema):
        # Any of them works; anonymous access is declared by drf-spectacular ({}).
        return [{"ApiKeyAuth": []}, {"XApiKeyAuth": []}, {"BearerAuth": []}]

    def get_security_definition(self, auto_schema):
        return [
            {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "Partner API key as `Authorization: Api-Key <key>`. Optional: "
                "anonymous reads are allowed at a lower rate limit.",
            },
            {
                "type": "apiKey",
                "in": "header",
                "name": "X-Api-Key",
                "description": "The same partner API key in its own header: `X-Api-Key: <key>`.",
            },
            {
                "type": "http",
                "scheme": "bearer",
                "description": "The same partner API key as `Authorization: Bearer <key>` (what "
                "generated clients send by default).",
            },
        ]
