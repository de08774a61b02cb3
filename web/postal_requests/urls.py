from django.urls import path

from habilitations.choices import RequestKind
from web.postal_requests import views

ADHESION = {"kind": RequestKind.ADHESION}
SUBSTITUTION = {"kind": RequestKind.SUBSTITUTION}

app_name = "postal_requests"
urlpatterns = [
    path("espace/adhesions/", views.start, ADHESION, name="adhesion"),
    path("espace/adhesions/suivi/", views.follow, ADHESION, name="adhesion_follow"),
    path(
        "espace/adhesions/entreprise/<company:identifier>/",
        views.request_form,
        ADHESION,
        name="adhesion_form",
    ),
    path("espace/substitutions/", views.start, SUBSTITUTION, name="substitution"),
    path("espace/substitutions/suivi/", views.follow, SUBSTITUTION, name="substitution_follow"),
    path(
        "espace/substitutions/entreprise/<company:identifier>/",
        views.request_form,
        SUBSTITUTION,
        name="substitution_form",
    ),
    path("espace/demandes/<int:pk>/", views.detail, name="detail"),
    path("espace/demandes/<int:pk>/supprimer/", views.withdraw, name="withdraw"),
    path("espace/activer-mes-services/", views.activate, name="activate"),
    path(
        "adresse-electronique-entreprise/<str:link_id>/<str:token>/",
        views.company_email_link,
        name="company_email_link",
    ),
]
