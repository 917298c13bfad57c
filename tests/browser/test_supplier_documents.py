"""Register once in Chromium, in Spanish: a supplier with an award waiting for its contract
opens "Documents and size", declares its figures and uploads a certificate; a buyer's official
sees the winner's evidence on the draft page; the platform's administrator verifies the scale.
Each page has one h1, is in Spanish, and axe-core finds no serious or critical violation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pregon.organizations.models import SupplierDocument
from tests.browser.conftest import assert_accessible
from tests.browser.test_journey import PASSWORD, label, t
from tests.contracts.world import contract_world
from tests.organizations.evidence import platform_admin, upload

expect = pytest.importorskip("playwright.sync_api").expect

LANG = "es"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/{LANG}/accounts/login/")
    page.get_by_label(label(LANG, "E-mail address")).fill(email)
    page.get_by_label(label(LANG, "Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=t(LANG, "Sign in"), exact=True).click()


def _checked(page: Any, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    expect(page.locator("html")).to_have_attribute("lang", LANG)
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


def test_the_register_once_pages_are_accessible(
    live_server: Any, new_page: Any, buyer: Any, settings: Any, tmp_path: Any
) -> None:
    world = contract_world(buyer, settings)
    # The winner's tax certificate is gone: the buyer and the supplier both see it missing.
    tax = SupplierDocument.objects.get(organization=world.supplier, kind="tax", removed_at=None)
    SupplierDocument.objects.filter(pk=tax.pk).update(removed_at=tax.uploaded_at)
    base = live_server.url

    supplier = new_page(locale="es-CL")
    _sign_in(supplier, base, world.supplier_actor.user.email)
    _checked(supplier, f"{base}/{LANG}/supplier/documents/")
    expect(
        supplier.get_by_role("heading", name=t(LANG, "Evidence asked before your contract"))
    ).to_be_visible()
    supplier.get_by_label(label(LANG, "Number of employees")).fill("12")
    supplier.get_by_role("button", name=t(LANG, "Save the size")).click()
    expect(supplier.get_by_role("heading", level=1)).to_have_text(t(LANG, "Documents and size"))
    certificate = tmp_path / "tributario.pdf"
    certificate.write_bytes(PDF)
    supplier.get_by_label(label(LANG, "Document")).select_option("tax")
    supplier.get_by_label(label(LANG, "File")).set_input_files(str(certificate))
    expires = (dt.date.today() + dt.timedelta(days=200)).isoformat()
    supplier.get_by_label(label(LANG, "Expires on")).fill(expires)
    supplier.get_by_role("button", name=t(LANG, "Upload"), exact=True).click()
    expect(supplier.get_by_text("tributario.pdf")).to_be_visible()
    assert_accessible(supplier)

    official = new_page(locale="es-CL")
    _sign_in(official, base, world.official.user.email)
    _checked(official, f"{base}/{LANG}/contracts/awards/{world.award.pk}/new/")

    upload(world.supplier, "scaleEvidence", None)
    admin = platform_admin()
    administrator = new_page(locale="es-CL")
    _sign_in(administrator, base, admin.user.email)
    _checked(administrator, f"{base}/{LANG}/platform/scales/")
    _checked(administrator, f"{base}/{LANG}/platform/scales/{world.supplier.pk}/")
