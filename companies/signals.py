"""Signals of the registry, for the apps that keep copies of company data (the portfolios)."""

from django.dispatch import Signal

# Sent after a registry import committed; receivers return how many rows they updated.
registry_imported = Signal()
