from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    name = "pregon.publication"
    verbose_name = _("Open data publication")
