"""Template helpers shared by every page: USWDS form widgets, money, deadlines, pagination."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms, template
from django.http import HttpRequest
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pregon.core import classifications, clock

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


@register.simple_tag
def money(value: Decimal | None, currency: str = "") -> str:
    """An amount with thousands grouped in the active language's style, and its currency."""
    if value is None:
        return ""
    amount = floatformat(value, "2g")
    return f"{amount} {currency}".strip()


def _days_left(moment: dt.datetime, now: dt.datetime) -> int:
    """Whole calendar days between now and a moment, in the platform's time zone."""
    today = timezone.localtime(now).date()
    return (timezone.localtime(moment).date() - today).days


@register.filter
def closes_in(deadline: dt.datetime | None) -> str:
    """'closes today', 'closes in 3 days' or 'closed' for a bid deadline."""
    if deadline is None:
        return ""
    now = clock.now()
    if deadline <= now:
        return _("closed")
    days = _days_left(deadline, now)
    if days <= 0:
        return _("closes today")
    return ngettext("closes in %(days)s day", "closes in %(days)s days", days) % {"days": days}


@register.filter
def is_past(moment: dt.datetime | None) -> bool:
    """Whether a moment is before the platform clock's now."""
    return moment is not None and moment <= clock.now()


@register.filter
def classification_name(item: Any) -> str:
    """The name of an item's classification code in the active language."""
    return classifications.describe(item.classification_scheme, item.classification_code)


@register.simple_tag
def page_url(request: HttpRequest, number: int) -> str:
    """The current URL's query string with another page number, filters kept."""
    query = request.GET.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()


@register.simple_tag
def timetag(moment: dt.datetime | None, format_name: str = "DATETIME_FORMAT") -> SafeString:
    """A <time> element with the machine-readable moment and the localized text."""
    if moment is None:
        return format_html("{}", "")
    local = timezone.localtime(moment)
    return format_html(
        '<time datetime="{}">{}</time>', local.isoformat(), date_format(local, format_name)
    )
