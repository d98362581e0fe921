"""The app's routes plus `/__floor__/<name>`: a plain Django view returning stored bytes.

It goes through the same middleware as the API, so it shows Django's own floor.
"""

from django.http import HttpResponse
from django.urls import path

from bench.payloads import payload
from kneecare.urls import urlpatterns as app_urlpatterns


def floor(request, name):
    body, headers = payload(name)
    response = HttpResponse(body)
    for header, value in headers:
        response[header] = value
    return response


urlpatterns = [path("__floor__/<str:name>", floor), *app_urlpatterns]
from kneecare.urls import handler404, handler500  # noqa: E402, F401
