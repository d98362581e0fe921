"""What a partner's browser app meets, in headless Chromium (issue 12).

- A page on another origin reads the API with `fetch` (an API key and If-None-Match trigger a
  CORS preflight), sees the exposed headers, and cannot read the admin.
- Redoc renders under the strict CSP with no console error and no request off the host
  (no Google Fonts, no CDN logo).
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from content_app.models import PartnerKey
from tests import factories as f
from tests.e2e.test_editorial_flow import browser  # noqa: F401 (the Chromium fixture)

pytestmark = pytest.mark.browser


class _PartnerPage(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"<!DOCTYPE html><html><body><h1>A partner's app</h1></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def partner_origin():
    """Another origin: a tiny web server on loopback serving an empty app page."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PartnerPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def api_base(live_server):
    return live_server.url.replace("127.0.0.1", "localhost")  # never the partner's origin


READ = """async ([url, key]) => {
  const first = await fetch(url, {headers: {"X-Api-Key": key}});
  const body = await first.json();
  const etag = first.headers.get("ETag");
  const again = await fetch(url, {headers: {"X-Api-Key": key, "If-None-Match": etag}});
  return {status: first.status, count: body.count, etag, revalidated: again.status,
          origin: location.origin};
}"""

ADMIN = """async (url) => {
  try { await fetch(url); return "read"; } catch (error) { return "blocked"; }
}"""


def test_a_page_on_another_origin_reads_the_api_but_not_the_admin(
    browser,  # noqa: F811
    transactional_db,
    api_base,
    partner_origin,
):
    f.CauseFactory(slug="bakers-cyst")
    _, key = PartnerKey.objects.create_key(name="browser partner")
    page = browser.new_page()
    page.goto(partner_origin)

    read = page.evaluate(READ, [f"{api_base}/api/v1/causes/", key])
    admin = page.evaluate(ADMIN, f"{api_base}/admin/login/")

    assert read["origin"] == partner_origin != api_base
    assert read["status"] == 200 and read["count"] == 1
    assert read["etag"]  # an exposed header
    assert read["revalidated"] == 304
    assert admin == "blocked"


def test_redoc_loads_nothing_from_elsewhere_and_logs_no_error(
    browser,  # noqa: F811
    transactional_db,
    live_server,
):
    page = browser.new_page()
    errors, requests = [], []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))

    page.goto(f"{live_server.url}/api/v1/redoc/")
    page.get_by_text("List published causes").first.wait_for(state="attached", timeout=30_000)
    page.wait_for_timeout(500)

    host = urlsplit(live_server.url).netloc
    elsewhere = [url for url in requests if not url.startswith(("data:", "blob:"))]
    elsewhere = [url for url in elsewhere if urlsplit(url).netloc != host]
    assert elsewhere == []
    assert errors == []
