"""Every admin form a manager or the coordinator opens, audited with axe in Chromium (WCAG 2.1 AA)."""

import pytest

from tests.netzwerktimer.test_admin_german import admin_data, admin_pages  # noqa: F401 (admin_data is a fixture)


def _logged_in(page, client, live_server, user):
    client.force_login(user)
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])


@pytest.mark.parametrize("who", ["manager", "coordinator"])
def test_admin_forms_have_no_serious_accessibility_violations(
    transactional_db, admin_data, page, live_server, client, who, request, axe_audit  # noqa: F811
):
    user = request.getfixturevalue(who)
    _logged_in(page, client, live_server, user)
    forms = [url for url in admin_pages(user) if url.endswith(("/add/", "/change/"))]
    found = {}
    for url in forms:
        page.goto(live_server.url + url)
        page.wait_for_load_state("load")
        violations = axe_audit(page)
        if violations:
            found[url] = violations
    # Nothing may still ask the server (the clash hints) while the database is emptied after the test.
    page.goto("about:blank")
    assert len(forms) >= 8
    assert found == {}
