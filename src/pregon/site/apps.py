from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """Entry-point commands of the whole site (serve, openapi)."""

    name = "pregon.site"
    label = "pregon_site"  # "site" alone would read as django.contrib.sites'
    verbose_name = _("Site")
