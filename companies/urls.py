from django.urls import path

from companies import views

app_name = "companies"
urlpatterns = [
    path(
        "espace/dossiers/<company:identifier>/comptes-bancaires/",
        views.bank_accounts,
        name="bank_accounts",
    ),
    path(
        "espace/dossiers/<company:identifier>/comptes-bancaires/<int:pk>/",
        views.bank_account_state,
        name="bank_account_state",
    ),
    path(
        "espace/dossiers/<company:identifier>/adresse-electronique/",
        views.company_email,
        name="company_email",
    ),
    path(
        "entreprise/adresse-electronique/<int:pk>/<str:token>/",
        views.company_email_confirm,
        name="company_email_confirm",
    ),
]
