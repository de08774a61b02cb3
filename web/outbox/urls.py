"""The outbox (development and demos only: `OUTBOX_ENABLED`)."""

from django.urls import path

from web.outbox import views

app_name = "outbox"
urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/courrier/<int:pk>.pdf", views.letter_pdf, name="letter_pdf"),
]
