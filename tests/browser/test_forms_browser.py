"""Writing from the browser in headless Chromium: signed in through the
Apache front of tests/http/test_signin.py (its session cookie handed to the
browser), the browsable API's POST form is filled in and submitted by the
browser itself; the answer is the API's 201 shown as the browsable page,
the page runs no script and loads cleanly. A screenshot of the form is
saved."""

import json
import sys
import uuid
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "http"))
from test_signin import front, sign_in  # noqa: E402,F401 (a fixture)


def test_post_form_in_chromium(front, page, screenshots):  # noqa: F811
    url, _, user, _, _ = front
    s, r = sign_in(url, user)
    assert r.status_code == 200, r.text
    cookie = s.cookies.get("registry_session")
    assert cookie
    page.call("Network.setCookie", name="registry_session", value=cookie,
              url=url + "/", httpOnly=True, sameSite="Lax")
    assert page.goto(url + "/api/namespace/") == 200
    assert page.errors() == []
    assert page.eval("document.querySelectorAll('form.api-form').length") \
        == 1
    page.screenshot(screenshots / "api-form-namespace.png")
    name = "browser-" + uuid.uuid4().hex[:8]
    page.eval("document.querySelector('textarea[name=_content]').value = "
              + json.dumps(json.dumps({"name": name})))
    page.events.clear()
    page.eval("document.querySelector('button[value=POST]').click()")
    page.wait_event("Page.loadEventFired")
    page.call("Runtime.evaluate", expression="1")
    statuses = [ev["params"]["response"]["status"] for ev in page.events
                if ev.get("method") == "Network.responseReceived" and
                ev["params"].get("type") == "Document"]
    assert statuses == [201], statuses
    assert "HTTP 201 Created" in page.eval("document.body.innerText")
    assert page.errors() == []
    got = requests.get(f"{url}/api/namespace/?name={name}&format=json")
    assert got.json()["count"] == 1
