import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kneecare.settings")

django_application = get_wsgi_application()

# Cached anonymous API hits are answered before Django's request cycle (content_app/caching.py);
# imported after setup because it needs the app registry.
from content_app.caching import CachedApiWSGI  # noqa: E402
from kneecare.ops.wsgi import OperationsWSGI  # noqa: E402

# Outermost: database errors before Django become 503 problems; every response has a request id.
application = OperationsWSGI(CachedApiWSGI(django_application))
