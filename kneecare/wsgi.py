import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kneecare.settings")

django_application = get_wsgi_application()

# Cached anonymous API hits are answered before Django's request cycle (content_app/caching.py),
# except cross-origin ones, which CorsMiddleware answers (content_app/api/cors.py); imported
# after setup because it needs the app registry.
from content_app.api.cors import CrossOriginAwareFront  # noqa: E402

application = CrossOriginAwareFront(django_application)
