"""Labels in place of codes on the agents' pages (docs/backoffice.md §3.4); each filter only
calls the function that owns the label."""

from django import template

from backoffice import readable
from companies.legal_categories import legal_category_short, legal_category_text
from messaging.offices import office_name

register = template.Library()

register.filter("legal_category", legal_category_text)
register.filter("legal_category_short", legal_category_short)
register.filter("scope_labels", readable.scope_labels)
register.filter("revoked_reason", readable.revoked_reason)
register.filter("office_name", office_name)
