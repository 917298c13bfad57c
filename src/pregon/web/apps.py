from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "pregon.web"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        from pregon.publication.observers import record_observer_register
        from pregon.web.views import public_pages_forget

        record_observer_register(public_pages_forget)
