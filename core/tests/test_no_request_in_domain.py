"""Domain functions take the acting subscriber, not an HttpRequest: who acts and from where
come from `core.context`. Only receivers of Django's signals may take one."""

import importlib
import inspect
import pkgutil

DOMAIN_APPS = ["accounts", "audit", "companies", "correspondence", "habilitations"]
# Receivers of Django's authentication signals: the signature is Django's.
SIGNAL_RECEIVERS = {
    "accounts.signals._logged_in",
    "accounts.signals._logged_out",
    "accounts.signals._login_failed",
    "accounts.sessions._opened",
    "accounts.sessions._closed",
}


def _domain_modules():
    for app in DOMAIN_APPS:
        package = importlib.import_module(app)
        yield package
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".tests" in info.name or ".migrations" in info.name:
                continue
            yield importlib.import_module(info.name)


def test_only_signal_receivers_take_a_request():
    taking = set()
    for module in _domain_modules():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__:
                continue
            if "request" in inspect.signature(function).parameters:
                taking.add(f"{module.__name__}.{name}")
    assert taking == SIGNAL_RECEIVERS
