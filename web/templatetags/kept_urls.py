"""`{% url %}` with what it reverses kept (a builtin of the site's templates, config/settings.py).

Django's `reverse()` costs about 25 µs on the project's machine and a page of the space calls
it some 40 times (header, menus, footer, the dossier's bar): a sixth of the home page's time,
measured with bench/load/profile_page.py. What it answers depends only on the URL
configuration, the script prefix, the language, the namespace asked and the arguments, so the
answer is kept per process under all of them, for arguments that are plain text or numbers
(anything else is reversed each time, its text could change). The URL configuration is read
once per process; a test that swaps it (`ROOT_URLCONF`) empties what was kept. Errors are
never kept: a name that does not reverse raises as in Django."""

from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()
PLAIN = (str, int)


@lru_cache(maxsize=4096)
def _kept(view_name, args, kwargs, current_app, prefix, urlconf, language) -> str:
    return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)


def kept_reverse(view_name: str, args: list, kwargs: dict, current_app: str | None) -> str:
    if not all(type(value) in PLAIN for value in (*args, *kwargs.values())):
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    return _kept(
        view_name,
        tuple(args),
        tuple(sorted(kwargs.items())),
        current_app,
        get_script_prefix(),
        get_urlconf(),
        get_language(),
    )


@receiver(setting_changed)
def _urlconf_changed(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _kept.cache_clear()


class KeptURLNode(URLNode):
    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:  # as Django's tag: the request's application, else its URL's namespace
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = kept_reverse(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """Django's `{% url %}` (same syntax, same answers), reversing each URL once per process."""
    node = django_url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)
