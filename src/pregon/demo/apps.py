from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo world (`pregon demo`): the top layer, it may use every app and nothing uses it."""

    name = "pregon.demo"
    verbose_name = _("Demo world")
