"""Delegation requests: the firm's pages and the company's (docs/habilitations.md §12)."""

from django.urls import path

from web.delegation_requests import views

A = "espace/demandes-delegation/"

app_name = "delegation_requests"
urlpatterns = [
    path(A, views.sent, name="sent"),
    path(f"{A}nouvelle/", views.new, name="new"),
    path(f"{A}<int:pk>/retirer/", views.withdraw, name="withdraw"),
    path(f"{A}recues/", views.received, name="received"),
    path(f"{A}recues/<int:pk>/", views.answer, name="answer"),
    path(f"{A}blocages/<int:pk>/debloquer/", views.unblock, name="unblock"),
    path(
        "espace/dossiers/<company:identifier>/demandes-delegation/",
        views.company_received,
        name="company_received",
    ),
]
