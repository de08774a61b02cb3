"""The agents' back office, under /agents/ (docs/backoffice.md)."""

from django.urls import path

from backoffice.views import (
    account,
    actions,
    auth,
    companies,
    messaging,
    messaging_supervision,
    pages,
    supervision,
)

app_name = "backoffice"

urlpatterns = [
    path("connexion/", auth.login, name="login"),
    path("connexion/code/", auth.second_factor, name="second_factor"),
    path("activation/", auth.activation, name="activation"),
    path("activation/application/", auth.enrolment, name="enrolment"),
    path("deconnexion/", auth.logout, name="logout"),
    path("", pages.home, name="home"),
    path("compte/", account.home, name="account"),
    path("compte/mot-de-passe/", account.password, name="account_password"),
    path("compte/mot-de-passe/force/", account.password_strength, name="password_strength"),
    path("compte/application/", account.device, name="account_device"),
    path("compte/application/nouvelle/", account.device_confirm, name="account_device_confirm"),
    path("abonnes/", pages.find_subscribers, name="find_subscribers"),
    path("abonnes/<str:number>/", pages.subscriber, name="subscriber"),
    path("entreprises/", pages.find_companies, name="find_companies"),
    path("entreprises/<str:identifier>/", pages.company, name="company"),
    path("entreprises/<str:identifier>/corriger/", companies.edit, name="company_edit"),
    path("entreprises/<str:identifier>/siren/", companies.convert, name="company_convert"),
    path("idsp/", companies.issue, name="idsp_issue"),
    path("actions/<str:name>/<str:key>/", actions.action, name="action"),
    path("messagerie/", messaging.queues, name="message_queues"),
    path("messagerie/<int:thread_id>/", messaging.thread, name="message_thread"),
    path("messagerie/<int:thread_id>/prendre/", messaging.take, name="message_take"),
    path("messagerie/<int:thread_id>/repondre/", messaging.answer, name="message_answer"),
    path("messagerie/<int:thread_id>/note/", messaging.note, name="message_note"),
    path("messagerie/<int:thread_id>/reaffecter/", messaging.reassign, name="message_reassign"),
    path("messagerie/<int:thread_id>/clore/", messaging.close, name="message_close"),
    path(
        "messagerie/<int:thread_id>/pieces/<int:attachment_id>/",
        messaging.attachment,
        name="message_attachment",
    ),
    path("messagerie/supervision/", messaging_supervision.overview, name="message_overview"),
    path("messagerie/reponses-types/", messaging_supervision.canned_list, name="canned_answers"),
    path(
        "messagerie/reponses-types/nouvelle/",
        messaging_supervision.canned_edit,
        name="canned_answer_new",
    ),
    path(
        "messagerie/reponses-types/<int:canned_id>/",
        messaging_supervision.canned_edit,
        name="canned_answer_edit",
    ),
    path("agents/", supervision.agents, name="agents"),
    path("agents/<int:pk>/desactiver/", supervision.deactivate, name="agent_deactivate"),
    path("journal/", supervision.trail, name="trail"),
    path("journal/export.csv", supervision.trail_csv, name="trail_csv"),
]
