from django.urls import path

from correspondence import views

app_name = "correspondence"
urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/courrier/<int:pk>.pdf", views.letter_pdf, name="letter_pdf"),
]
