"""Gunicorn settings read from the working directory (`make run`); command-line flags win.

Gunicorn answers a request line over `limit_request_line` itself, with an HTML 414 page that
never reaches Django. At gunicorn's maximum (8190 bytes) a long but plausible query (e.g. a
5,000-character `q`) reaches the API and gets its 400 problem+json instead.
"""

limit_request_line = 8190
