"""The secure messaging, the company's side (docs/messaging.md): under each dossier
(`espace/dossiers/<company>/messagerie/…`), the dossiers with unread conversations, and the
person's choice of e-mails."""

from django.urls import path

from web.messaging import views

M = "espace/dossiers/<company:identifier>/messagerie/"

app_name = "messaging"
urlpatterns = [
    path(M, views.threads, name="threads"),
    path(f"{M}ecrire/", views.write, name="write"),
    path(f"{M}<int:thread_id>/", views.thread, name="thread"),
    path(f"{M}<int:thread_id>/clore/", views.close, name="close"),
    path(
        f"{M}<int:thread_id>/pieces-jointes/<int:attachment_id>/",
        views.download,
        name="download",
    ),
    path("espace/messagerie/non-lus/", views.unread, name="unread"),
    path("espace/coordonnees/courriels-messagerie/", views.emails, name="emails"),
]
