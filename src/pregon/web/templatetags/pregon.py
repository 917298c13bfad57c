"""Template helpers shared by every page: USWDS form widgets, money, deadlines, pagination."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django import forms, template
from django.http import HttpRequest
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pregon.core import classifications, clock, time_zones

register = template.Library()

# The USWDS class each kind of widget takes.
_WIDGET_CLASSES: dict[type[forms.Widget], str] = {
    forms.CheckboxInput: "usa-checkbox__input",
    forms.RadioSelect: "usa-radio__input",
    forms.CheckboxSelectMultiple: "usa-checkbox__input",
    forms.Select: "usa-select",
    forms.Textarea: "usa-textarea",
    forms.FileInput: "usa-file-input",
}


def widget_class(widget: forms.Widget) -> str:
    """The USWDS class for a widget (text-like inputs by default)."""
    for kind, css in _WIDGET_CLASSES.items():
        if isinstance(widget, kind):
            return css
    return "usa-input"


@register.filter
def uswds(field: forms.BoundField) -> SafeString:
    """Render a form field's widget with its USWDS class (and Django's aria attributes)."""
    widget = copy.copy(field.field.widget)
    # The visible label says what to type; a placeholder repeating it (as allauth's forms
    # have, in English only) disappears on typing and reads poorly in screen readers.
    widget.attrs = {key: value for key, value in widget.attrs.items() if key != "placeholder"}
    css = widget_class(widget)
    if field.errors and css in {"usa-input", "usa-select", "usa-textarea"}:
        css += " usa-input--error"
    existing = widget.attrs.get("class", "")
    return field.as_widget(widget=widget, attrs={"class": f"{existing} {css}".strip()})


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    """Whether a field renders as a single checkbox (its label goes after the box)."""
    return isinstance(field.field.widget, forms.CheckboxInput)


# ISO 4217 minor units of the currencies that do not have two (a Chilean peso has no cents).
_MINOR_UNITS = {"CLP": 0, "PYG": 0, "JPY": 0, "KRW": 0, "ISK": 0, "UYI": 0, "CLF": 4}


def minor_units(currency: str) -> int:
    """How many decimals an amount of `currency` is written with (ISO 4217; 2 by default)."""
    return _MINOR_UNITS.get(currency.upper(), 2)


@register.simple_tag
def money(value: Decimal | None, currency: str = "") -> str:
    """An amount with thousands grouped in the active language's style, with its currency's
    decimals ("180,000 CLP", "1,500.00 USD"), and its currency."""
    if value is None:
        return ""
    amount = floatformat(value, f"{minor_units(currency)}g")
    return f"{amount} {currency}".strip()


def _days_left(moment: dt.datetime, now: dt.datetime, zone_name: str) -> int:
    """Whole calendar days between now and a moment, in the zone the moment is shown in."""
    zone = ZoneInfo(zone_name) if time_zones.time_zone_is_known(zone_name) else None
    today = timezone.localtime(now, zone).date()
    return (timezone.localtime(moment, zone).date() - today).days


@register.filter
def closes_in(deadline: dt.datetime | None, zone_name: str = "") -> str:
    """'closes today', 'closes in 3 days' or 'closed' for a bid deadline, counting calendar
    days in `zone_name` (the buyer's zone; the page's zone when empty)."""
    if deadline is None:
        return ""
    now = clock.now()
    if deadline <= now:
        return _("closed")
    days = _days_left(deadline, now, zone_name)
    if days <= 0:
        return _("closes today")
    return ngettext("closes in %(days)s day", "closes in %(days)s days", days) % {"days": days}


@register.filter
def is_past(moment: dt.datetime | None) -> bool:
    """Whether a moment is before the platform clock's now."""
    return moment is not None and moment <= clock.now()


@register.filter
def classification_name(item: Any) -> str:
    """The name of an item's classification code in the active language, or the name of the
    group it belongs to, said to be the group's."""
    return classifications.label(item.classification_scheme, item.classification_code)


@register.simple_tag
def page_url(request: HttpRequest, number: int) -> str:
    """The current URL's query string with another page number, filters kept."""
    query = request.GET.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()


@register.simple_tag
def timetag(
    moment: dt.datetime | None, zone: str = "", format_name: str = "DATETIME_FORMAT"
) -> SafeString:
    """A <time> element: the moment in UTC for machines, and for people in the zone `zone`
    (an IANA name; the page's zone when empty) with the zone and its offset named.

    `<time datetime="2026-12-10T21:00:00Z">10 Dec 2026, 15:00 (America/Belize, UTC-06:00)</time>`
    """
    if moment is None:
        return format_html("{}", "")
    return format_html(
        '<time datetime="{}">{}</time>',
        time_zones.utc_iso(moment),
        time_zones.moment_text(moment, zone, format_name),
    )


@register.simple_tag
def zone_note(zone: str = "") -> str:
    """A zone with its offset now: "America/Belize (UTC-06:00)"."""
    return time_zones.zone_note(zone)
