"""The portfolio and everything under one dossier (`espace/dossiers/<company>/…`)."""

from django.urls import path

from web.dossiers.views import company, delegation, holders, portfolio, strong_factor

D = "espace/dossiers/<company:identifier>/"

app_name = "dossiers"
urlpatterns = [
    path("espace/dossiers/", portfolio.portfolio, name="portfolio"),
    path("espace/dossiers/choisir/", portfolio.choose, name="choose"),
    path(D, portfolio.dossier, name="dossier"),
    path(f"{D}services/<slug:code>/", portfolio.service, name="service"),
    path("espace/habilitations/", portfolio.my_habilitations, name="mine"),
    path("espace/habilitations/<int:pk>/renoncer/", portfolio.renounce, name="renounce"),
    path(f"{D}suppleants/", delegation.deputies, name="deputies"),
    path(f"{D}delegations/", delegation.delegations, name="delegations"),
    path(f"{D}delegations/delegataire/<str:number>/", delegation.delegate, name="delegate"),
    path(f"{D}delegations/<int:pk>/", delegation.delegation_action, name="delegation_action"),
    path(f"{D}acces/", holders.holders, name="holders"),
    path(f"{D}authentification-forte/", strong_factor.strong_factor, name="strong_factor"),
    path(f"{D}comptes-bancaires/", company.bank_accounts, name="bank_accounts"),
    path(f"{D}comptes-bancaires/<int:pk>/", company.bank_account_state, name="bank_account_state"),
    path(f"{D}adresse-electronique/", company.company_email, name="company_email"),
    path(
        "entreprise/adresse-electronique/<str:link_id>/<str:token>/",
        company.company_email_confirm,
        name="company_email_confirm",
    ),
]
