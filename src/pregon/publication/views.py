"""The /data/ page (what is published, how, under which license) and the bulk file downloads."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from pregon.core.errors import NotFound
from pregon.core.problems import public_read
from pregon.publication import bulk, selectors
from pregon.publication.http import conditional

FILE_CACHE = "public, max-age=300"
# Names and license texts for the licenses open data is usually published under.
KNOWN_LICENSES = {
    "https://creativecommons.org/licenses/by/4.0/": "Creative Commons Attribution 4.0 (CC BY 4.0)",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0 Universal",
    "https://opendatacommons.org/licenses/pddl/1-0/": "Open Data Commons PDDL 1.0",
    "https://opendatacommons.org/licenses/by/1-0/": "Open Data Commons Attribution 1.0",
}


def _generated_at(manifest: bulk.Manifest) -> dt.datetime | None:
    return parse_datetime(manifest.generated_at)


@public_read
def data_page(request: HttpRequest) -> HttpResponse:
    """The open-data page: bulk files with size and SHA-256, the API, license and policy."""
    manifest = selectors.bulk_manifest()
    files = manifest.files if manifest else []
    api = {
        name: f"{settings.SITE_URL}{reverse(f'ocds_api:{name}')}"
        for name in ("releases", "records", "changes")
    }
    license_url = settings.PREGON_DATA_LICENSE
    context = {
        "manifest": manifest,
        "generated_at": _generated_at(manifest) if manifest else None,
        "main_files": [item for item in files if item.kind in {"releases", "records"}],
        "year_files": [item for item in files if item.kind == "year"],
        "flat_files": [item for item in files if item.kind in {"csv", "xlsx", "parquet"}],
        "api": api,
        "site_url": settings.SITE_URL,
        "license_url": license_url,
        "license_name": KNOWN_LICENSES.get(license_url, license_url),
        "publisher": settings.PREGON_PUBLISHER_NAME,
        "ocid_prefix": settings.PREGON_OCID_PREFIX,
    }
    return render(request, "publication/data.html", context)


@public_read
def data_file(request: HttpRequest, name: str) -> HttpResponseBase:
    """A bulk file (or the manifest that lists them), with validators for conditional GET."""
    if name == bulk.MANIFEST:
        manifest = selectors.bulk_manifest()
        if manifest is None:
            raise NotFound(_("The data files have not been written yet."))
        body = manifest.to_bytes()
        return conditional(
            request,
            lambda: HttpResponse(body, content_type="application/json"),
            etag=f'"{manifest.generation}"',
            last_modified=_generated_at(manifest),
            cache_control="public, max-age=60",
        )
    listed, manifest, path = selectors.bulk_file(name=name)

    def download() -> FileResponse:
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            raise NotFound(_("There is no data file called %(name)s.") % {"name": name}) from None
        response = FileResponse(handle, as_attachment=True, filename=listed.name)
        response["Content-Type"] = listed.media_type
        return response

    response = conditional(
        request,
        download,
        etag=f'"{listed.sha256}"',
        last_modified=_generated_at(manifest),
        cache_control=FILE_CACHE,
    )
    # The files are compressed already: keep GZipMiddleware from compressing them again
    # (which would also drop Content-Length and weaken the ETag that is their digest).
    request.META.pop("HTTP_ACCEPT_ENCODING", None)
    return response
