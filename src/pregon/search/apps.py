from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "pregon.search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from pregon.publication.observers import record_observer_register
        from pregon.search.services import search_document_update

        record_observer_register(search_document_update)
