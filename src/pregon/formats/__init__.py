"""How dates read in each language, where Django's own formats and names do not fit.

`FORMAT_MODULE_PATH` points here; a language's `formats.py` overrides only the names it
defines and Django's own formats give the rest.

Month names: Django's Brazilian Portuguese catalog capitalizes them ("10 de Dezembro de
2026"), where Portuguese writes them in lower case. The project's catalogs are read after
Django's and win, so they carry the month names below ("10 de dezembro de 2026"); the Spanish
and French entries say what Django's catalogs already say.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

# Marked for translation only: Django's `dates.MONTHS` asks the catalogs for these words.
MONTH_NAMES = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)
