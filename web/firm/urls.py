"""A firm's delegates: *Vos délégataires*, withdrawing all, delegating on many dossiers."""

from django.urls import path

from web.firm import views

app_name = "firm"
urlpatterns = [
    path("espace/delegataires/", views.delegates, name="delegates"),
    path("espace/delegataires/deleguer/", views.delegate_many, name="delegate_many"),
    path("espace/delegataires/<str:number>/retirer/", views.withdraw_all, name="withdraw_all"),
]
