import json
import pytest
from pregon.tenders import services
from tests import factories
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_portal_pages(live_server, page, settings):
    buyer = factories.BuyerFactory(legal_name="Ministerio de Salud")
    official = factories.member(buyer, "buyer_official")
    tender = factories.TenderOpenFactory(buyer=buyer, lots=2)
    report = {}
    page.goto(live_server.url + "/en/accounts/login/")
    page.fill("#id_login", official.email)
    page.fill("#id_password", "correct horse battery")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    for name, path in {"mfa_index": "/en/accounts/2fa/", "email": "/en/accounts/email/", "password": "/en/accounts/password/change/", "totp": "/en/accounts/2fa/totp/activate/", "detail": f"/en/tenders/{tender.pk}/", "home": "/en/"}.items():
        page.goto(live_server.url + path)
        page.wait_for_load_state()
        page.screenshot(path=f"/tmp/shot2_{name}.png", full_page=True)
        report[name] = (page.url, [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in axe_violations(page)])
    print(json.dumps(report, indent=1))
