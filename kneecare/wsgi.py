import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kneecare.settings")

django_application = get_wsgi_application()

# Cached anonymous API hits are answered before Django's request cycle (content_app/caching.py);
# imported after setup because it needs the app registry.
from content_app.caching import CachedApiWSGI  # noqa: E402
from kneecare.ops.outages import DatabaseOutageWSGI  # noqa: E402

application = DatabaseOutageWSGI(CachedApiWSGI(django_application))
