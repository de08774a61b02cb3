from django.urls import path

from habilitations import delegation_views, firm_views, holders_views, views

app_name = "habilitations"
urlpatterns = [
    path("espace/dossiers/", views.portfolio, name="portfolio"),
    path("espace/dossiers/choisir/", views.choose, name="choose"),
    path("espace/dossiers/<company:identifier>/", views.dossier, name="dossier"),
    path(
        "espace/dossiers/<company:identifier>/services/<slug:code>/", views.service, name="service"
    ),
    path("espace/habilitations/", views.my_habilitations, name="mine"),
    path("espace/habilitations/<int:pk>/renoncer/", firm_views.renounce, name="renounce"),
    path(
        "espace/dossiers/<company:identifier>/suppleants/",
        delegation_views.deputies,
        name="deputies",
    ),
    path(
        "espace/dossiers/<company:identifier>/delegations/",
        delegation_views.delegations,
        name="delegations",
    ),
    path(
        "espace/dossiers/<company:identifier>/delegations/delegataire/<str:number>/",
        delegation_views.delegate,
        name="delegate",
    ),
    path(
        "espace/dossiers/<company:identifier>/delegations/<int:pk>/",
        delegation_views.delegation_action,
        name="delegation_action",
    ),
    path("espace/dossiers/<company:identifier>/acces/", holders_views.holders, name="holders"),
    path("espace/delegataires/", firm_views.delegates, name="firm_delegates"),
    path("espace/delegataires/deleguer/", firm_views.delegate_many, name="delegate_many"),
    path(
        "espace/delegataires/<str:number>/retirer/",
        firm_views.withdraw_all,
        name="withdraw_all",
    ),
]
