"""Writing from the browser: a signed-in user's browsable API pages carry
DRF-like raw JSON forms (POST on lists, PUT/PATCH and DELETE on records
where the resource allows them); a form post answers with the status and
body the API gives, and carries the session's CSRF token, checked by the
registry. Plain HTTP through the Apache front of test_signin.py."""

import html
import json
import re
import uuid

import requests

from test_signin import front, sign_in  # noqa: F401 (a fixture)

JSON = {"Accept": "application/json"}
HTML = {"Accept": "text/html"}


def signed_in(front):  # noqa: F811
    url, _, user, _, _ = front
    s, r = sign_in(url, user)
    assert r.status_code == 200, r.text
    token = re.search(r'id="accesstoken"[^>]* value="([0-9a-f]{40})"',
                      r.text).group(1)
    s.auth = None
    return url, s, {"Authorization": f"token {token}", **JSON}


def forms(page):
    """[(csrf token, methods of its buttons, textarea content)]"""
    out = []
    for f in re.findall(r'<form class="api-form".*?</form>', page, re.S):
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"',
                         f).group(1)
        methods = re.findall(r'name="_method" value="([A-Z]+)"', f)
        area = re.search(r"<textarea[^>]*>(.*?)</textarea>", f, re.S)
        out.append((csrf, methods,
                    html.unescape(area.group(1)) if area else None))
    return out


def post_form(s, url, csrf, method, content=None, headers=JSON):
    data = {"csrfmiddlewaretoken": csrf, "_method": method}
    if content is not None:
        data["_content_type"] = "application/json"
        data["_content"] = json.dumps(content)
    return s.post(url, data=data, headers=headers)


def test_forms_only_for_a_signed_in_user(front):  # noqa: F811
    url, s, _ = signed_in(front)
    anon = requests.get(url + "/api/namespace/", headers=HTML)
    assert anon.status_code == 200 and "api-form" not in anon.text
    page = s.get(url + "/api/namespace/", headers=HTML)
    [(csrf, methods, template)] = forms(page.text)
    assert methods == ["POST"] and len(csrf) == 64
    assert json.loads(template) == {"name": "", "full_name": None,
                                    "website": None}
    # the API root and read-only resources have none
    assert forms(s.get(url + "/api/", headers=HTML).text) == []
    assert forms(s.get(url + "/api/users/", headers=HTML).text) == []


def test_form_posts_answer_as_the_api(front):  # noqa: F811
    url, s, token = signed_in(front)
    csrf = forms(s.get(url + "/api/issue/", headers=HTML).text)[0][0]
    name = "form-" + uuid.uuid4().hex[:8]

    r = post_form(s, url + "/api/namespace/", csrf, "POST", {"name": name})
    assert r.status_code == 201, r.text
    assert requests.get(r.json()["url"], headers=JSON).text == r.text
    # a duplicate: the same status and body as through the token API
    again = post_form(s, url + "/api/namespace/", csrf, "POST",
                      {"name": name})
    api = requests.post(url + "/api/namespace/", json={"name": name},
                        headers=token)
    assert (again.status_code, again.text) == (api.status_code, api.text)
    assert api.status_code == 409
    # a browser sees the answer as the browsable page
    page = post_form(s, url + "/api/namespace/", csrf, "POST",
                     {"name": name + "b"}, headers=HTML)
    assert page.status_code == 201 and "HTTP 201 Created" in page.text

    issue = requests.post(url + "/api/issue/", headers=token,
                          json={"severity": 2, "description": "before"})
    assert issue.status_code == 201
    page = s.get(issue.json()["url"], headers=HTML).text
    [(csrf2, methods, template)] = forms(page)
    assert methods == ["PUT", "PATCH"]
    assert json.loads(template)["description"] == "before"
    r = post_form(s, issue.json()["url"], csrf2, "PATCH",
                  {"description": "after"})
    assert r.status_code == 200, r.text
    assert r.json()["description"] == "after"
    assert requests.get(issue.json()["url"], headers=JSON).text == r.text

    obj = requests.post(url + "/api/object/", json={}, headers=token)
    assert obj.status_code == 201, obj.text
    run = requests.post(url + "/api/code_run/", headers=token, json={
        "run_date": "2024-01-01T00:00:00Z", "description": "d",
        "submission_script": obj.json()["url"]})
    assert run.status_code == 201, run.text
    page = s.get(run.json()["url"], headers=HTML).text
    assert [m for f in forms(page) for m in f[1]] == ["PUT", "PATCH",
                                                      "DELETE"]
    r = post_form(s, run.json()["url"], csrf, "DELETE")
    assert r.status_code == 204, r.text
    assert requests.get(run.json()["url"], headers=JSON).status_code == 404


def test_csrf_is_checked(front):  # noqa: F811
    url, s, token = signed_in(front)
    csrf = forms(s.get(url + "/api/namespace/", headers=HTML).text)[0][0]
    name = "csrf-" + uuid.uuid4().hex[:8]
    target = url + "/api/namespace/"

    def refused(r, why):
        assert (r.status_code, r.json()) == \
            (403, {"detail": "CSRF Failed: " + why}), r.text

    refused(post_form(s, target, "", "POST", {"name": name}),
            "CSRF token missing.")
    refused(s.post(target, json={"name": name}, headers=JSON),
            "CSRF token missing.")
    refused(post_form(s, target, "0" * 64, "POST", {"name": name}),
            "CSRF token incorrect.")
    # another session's token is not this one's (signing in again also
    # replaced the API token)
    _, other, token = signed_in(front)
    other_csrf = forms(other.get(target, headers=HTML).text)[0][0]
    assert other_csrf != csrf
    refused(post_form(s, target, other_csrf, "POST", {"name": name}),
            "CSRF token incorrect.")
    # a page of another site posting with the browser's cookie
    r = post_form(s, target, csrf, "POST", {"name": name},
                  headers={**JSON, "Origin": "http://evil.example"})
    refused(r, "Origin checking failed - http://evil.example does not "
               "match any trusted origins.")
    refused(post_form(s, target, csrf, "POST", {"name": name},
                      headers={**JSON, "Sec-Fetch-Site": "cross-site"}),
            "Cross-site request refused.")
    assert requests.get(f"{target}?name={name}",
                        headers=JSON).json()["count"] == 0
    # a script of the page itself may send the token as a header
    r = s.post(target, json={"name": name},
               headers={**JSON, "X-CSRFToken": csrf})
    assert r.status_code == 201, r.text
    # token clients are not asked for one, Origin or not
    r = requests.post(target, json={"name": name + "t"},
                      headers={**token, "Origin": "http://evil.example"})
    assert r.status_code == 201, r.text
    # signed out: the cookie is gone and the form no longer writes
    copy = s.cookies.get("registry_session")
    assert other.get(url + "/api/username/", headers=JSON).status_code == 200
    s.get(url + "/logout")
    r = post_form(s, target, csrf, "POST", {"name": name + "x"})
    assert r.status_code == 403
    assert r.json() == {"detail": "Authentication credentials were not "
                                  "provided."}
    # a copy of the cookie is over too, and so is every other session
    for cookie in (copy, other.cookies.get("registry_session")):
        r = requests.get(url + "/api/username/", headers={
            **JSON, "Cookie": f"registry_session={cookie}"})
        assert r.status_code == 403, cookie
