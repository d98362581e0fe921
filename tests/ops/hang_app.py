"""A WSGI app for the stuck-thread test: /hang never answers, anything else says its pid."""

import os
import time


def application(environ, start_response):
    if environ["PATH_INFO"] == "/hang":
        time.sleep(120)
    body = str(os.getpid()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
