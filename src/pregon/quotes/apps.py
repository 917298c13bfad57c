"""Quick quotes (Chile's Compra Ágil, Brazil's electronic dispensa, the US micro-purchase): a need posted in minutes, quoted by eligible suppliers, an order issued on the platform."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from pregon.core.audit_vocabulary import audit_vocabulary_register
from pregon.quotes.choices import AUDIT_VOCABULARY


class QuotesConfig(AppConfig):
    name = "pregon.quotes"
    verbose_name = _("Quick quotes")

    def ready(self) -> None:
        # The OCDS mapping reads models, loaded only once `ready` runs; it comes after the
        # planning's (INSTALLED_APPS order), so a quick quote that follows a line is merged
        # over it.
        from pregon.alerts.processes import process_page_register
        from pregon.contracts.processes import process_lookup_register
        from pregon.planning.followers import follower_lookup_register
        from pregon.publication.mapping import mapping_register
        from pregon.quotes.links import (
            quick_quote_followers,
            quick_quote_pages,
            quick_quote_process,
        )
        from pregon.quotes.ocds import quick_quote_sections

        audit_vocabulary_register(AUDIT_VOCABULARY)
        mapping_register(quick_quote_sections)
        # The plans' pages learn here which quick quote follows a line, and the contracts'
        # code which quick quote a purchase order was issued from.
        follower_lookup_register(quick_quote_followers)
        process_lookup_register(quick_quote_process)
        # The alerts and the portal's search learn here to call it a quick quote and link it.
        process_page_register(quick_quote_pages)
