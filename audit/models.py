from django.conf import settings
from django.db import models


class Action(models.TextChoices):
    RATE_LIMITED = "limit.exceeded", "Limite de fréquence atteinte"
    REGISTRATION_SUBMITTED = "registration.submitted", "Pré-inscription enregistrée"
    REGISTRATION_DISCARDED = "registration.discarded", "Pré-inscription abandonnée"
    SPACE_ACTIVATED = "space.activated", "Espace activé"
    SPACE_ACTIVATION_FAILED = "space.activation_failed", "Échec d'activation d'espace"
    LOGIN_SUCCEEDED = "login.succeeded", "Connexion"
    LOGIN_FAILED = "login.failed", "Échec de connexion"
    LOGIN_LOCKED = "login.locked", "Connexion verrouillée"
    LOGOUT = "logout", "Déconnexion"
    # Services obtained by postal letter (docs/habilitations.md §7, §8, docs/accounts.md §13).
    POSTAL_REQUEST_SUBMITTED = "postal_request.submitted", "Demande enregistrée"
    POSTAL_REQUEST_REPEATED = (
        "postal_request.repeated",
        "Demande envoyée deux fois : la première vaut",
    )
    POSTAL_REQUEST_EMAIL_CONFIRMED = (
        "postal_request.email_confirmed",
        "Adresse électronique de l'entreprise confirmée (demande)",
    )
    POSTAL_REQUEST_LINK_FAILED = "postal_request.link_failed", "Lien de confirmation refusé"
    POSTAL_LETTER_SENT = "postal_request.letter_sent", "Courrier d'activation envoyé"
    POSTAL_REQUEST_ACTIVATED = "postal_request.activated", "Demande activée"
    POSTAL_CODE_FAILED = "postal_request.code_failed", "Code d'activation refusé"
    POSTAL_REQUEST_EXPIRED = "postal_request.expired", "Demande expirée"
    POSTAL_REQUEST_WITHDRAWN = "postal_request.withdrawn", "Demande supprimée"
    POSTAL_REQUEST_REFUSED = "postal_request.refused", "Demande refusée"
    # Company data (docs/habilitations.md §2: AT/AS of Payer for accounts, of Messagerie for the
    # e-mail).
    BANK_ACCOUNT_ADDED = "bank_account.added", "Compte bancaire ajouté"
    BANK_ACCOUNT_ACTIVATED = "bank_account.activated", "Compte bancaire activé"
    BANK_ACCOUNT_DEACTIVATED = "bank_account.deactivated", "Compte bancaire désactivé"
    COMPANY_EMAIL_CHANGE_REQUESTED = (
        "company_email.change_requested",
        "Nouvelle adresse électronique d'entreprise demandée",
    )
    COMPANY_EMAIL_CHANGED = "company_email.changed", "Adresse électronique d'entreprise modifiée"
    COMPANY_EMAIL_LINK_FAILED = "company_email.link_failed", "Lien de confirmation refusé"
    # A company's requirement of a strong factor (docs/habilitations.md §14).
    STRONG_FACTOR_REQUIRED = (
        "strong_factor_policy.required",
        "Authentification forte exigée par l'entreprise",
    )
    STRONG_FACTOR_LIFTED = (
        "strong_factor_policy.lifted",
        "Exigence d'authentification forte levée",
    )
    # Habilitations (docs/habilitations.md §2) and refused authorizations (docs/security.md §10).
    HABILITATION_GRANTED = "habilitation.granted", "Habilitation accordée"
    HABILITATION_CHANGED = "habilitation.changed", "Habilitation modifiée"
    HABILITATION_SUSPENDED = "habilitation.suspended", "Habilitation mise en veille"
    HABILITATION_REACTIVATED = "habilitation.reactivated", "Habilitation réactivée"
    HABILITATION_REMOVED = "habilitation.removed", "Habilitation supprimée"
    ACCESS_REFUSED = "access.refused", "Accès refusé"
    # Password lifecycle and personal information (docs/accounts.md §7 to §11, security.md §10).
    LOGIN_PASSWORD_EXPIRED = "login.password_expired", "Connexion refusée : mot de passe expiré"
    SESSION_ENDED_PASSWORD_EXPIRED = "session.password_expired", "Session close (expiration)"
    CAPTCHA_FAILED = "captcha.failed", "CAPTCHA incorrect"
    REAUTHENTICATION_FAILED = "reauthentication.failed", "Mot de passe actuel incorrect"
    PASSWORD_CHANGED = "password.changed", "Mot de passe modifié"
    PASSWORD_CHANGE_FAILED = "password.change_failed", "Échec de modification du mot de passe"
    PASSWORD_RESET_REQUESTED = "password_reset.requested", "Lien de réinitialisation envoyé"
    PASSWORD_RESET_REFUSED = "password_reset.refused", "Réinitialisation refusée"
    PASSWORD_RESET_LINK_FAILED = "password_reset.link_failed", "Lien de réinitialisation refusé"
    PASSWORD_EXPIRY_REMINDER_SENT = "password.expiry_reminder", "Rappel d'expiration envoyé"
    EMAIL_CHANGE_REQUESTED = "email_change.requested", "Changement d'adresse demandé"
    EMAIL_CHANGE_FAILED = "email_change.failed", "Échec de changement d'adresse"
    EMAIL_CHANGE_CANCELLED = "email_change.cancelled", "Changement d'adresse annulé"
    LOGIN_EMAIL_CHANGED = "login_email.changed", "Adresse électronique de connexion modifiée"
    PROFILE_CHANGED = "profile.changed", "Coordonnées modifiées"
    TRUST_QUESTION_CHANGED = "trust_question.changed", "Question de confiance modifiée"
    # Second factors (docs/security.md §14).
    FACTOR_CODE_SENT = "factor.code_sent", "Code de vérification envoyé"
    FACTOR_VERIFIED = "factor.verified", "Second facteur vérifié"
    FACTOR_CODE_FAILED = "factor.code_failed", "Code de vérification incorrect"
    FACTOR_ENROLLED = "factor.enrolled", "Second facteur enregistré"
    FACTOR_REMOVED = "factor.removed", "Second facteur supprimé"
    FACTOR_CHOSEN = "factor.chosen", "Second facteur choisi pour la connexion"
    FACTOR_RECOVERY_CODES = "factor.recovery_codes", "Codes de secours générés"
    FACTOR_RECOVERY_CODE_USED = "factor.recovery_code_used", "Code de secours utilisé"
    FACTOR_STEP_UP_REFUSED = "factor.step_up_refused", "Vérification renforcée refusée"
    FACTORS_RESET = "factor.reset", "Seconds facteurs réinitialisés"
    FACTOR_RESET_REQUESTED = (
        "factor.reset_requested",
        "Réinitialisation des seconds facteurs demandée",
    )
    FACTOR_RESET_APPROVED = (
        "factor.reset_approved",
        "Réinitialisation des seconds facteurs approuvée",
    )
    BROWSER_REMEMBERED = "browser.remembered", "Navigateur mémorisé"
    BROWSER_FORGOTTEN = "browser.forgotten", "Navigateur oublié"
    SESSION_ENDED_BY_OWNER = "session.ended_by_owner", "Session close par son titulaire"
    # Retention (docs/security.md §12): the one way events leave the trail.
    AUDIT_PURGED = "audit.purged", "Journal d'audit purgé (durée de conservation)"
    # The JSON API (docs/api.md): tokens, service clients, webhooks, refused calls.
    API_TOKEN_CREATED = "api_token.created", "Jeton d'accès API créé"
    API_TOKEN_REVOKED = "api_token.revoked", "Jeton d'accès API révoqué"
    API_SERVICE_CLIENT_CREATED = "api_client.created", "Client de service API créé"
    API_SERVICE_TOKEN_ISSUED = "api_client.token_issued", "Jeton de service API délivré"
    API_SERVICE_TOKEN_REFUSED = "api_client.token_refused", "Jeton de service API refusé"
    API_SERVICE_CLIENT_REVOKED = "api_client.revoked", "Client de service API révoqué"
    API_WEBHOOK_CREATED = "api_webhook.created", "Webhook enregistré"
    API_WEBHOOK_REVOKED = "api_webhook.revoked", "Webhook supprimé"
    # The agents' back office (issue 14, docs/backoffice.md): agents' own sessions, and what
    # they do to spaces, companies and letters (each event's details name the agent and reason).
    AGENT_LOGIN_SUCCEEDED = "agent.login", "Agent : connexion"
    AGENT_LOGIN_FAILED = "agent.login_failed", "Agent : échec de connexion"
    AGENT_SECOND_FACTOR_FAILED = "agent.otp_failed", "Agent : code à usage unique refusé"
    AGENT_RECOVERY_CODE_USED = "agent.recovery_code_used", "Agent : code de secours utilisé"
    AGENT_ENROLLED = "agent.enrolled", "Agent : second facteur enregistré"
    AGENT_LOGOUT = "agent.logout", "Agent : déconnexion"
    AGENT_SESSION_MOVED = (
        "agent.session_moved",
        "Agent : session fermée (utilisée depuis un autre réseau)",
    )
    AGENT_CREATED = "agent.created", "Agent créé"
    AGENT_CHANGED = "agent.changed", "Agent modifié"
    AGENT_ACCESS_REFUSED = "agent.access_refused", "Agent : accès refusé"
    AGENT_TRAIL_EXPORTED = "agent.trail_exported", "Journal d'audit exporté"
    LOGIN_UNLOCKED = "login.unlocked", "Verrouillage de connexion levé"
    SPACE_ACCESS_ENDED = "space.access_ended", "Sessions et jetons de l'espace fermés"
    REGISTRATION_CODE_RESENT = "registration.code_resent", "Code d'activation renvoyé"
    REGISTRATION_CANCELLED = "registration.cancelled", "Pré-inscription annulée"
    POSTAL_CODE_WITHDRAWN = "postal_request.code_withdrawn", "Code du courrier retiré"
    POSTAL_LETTER_REISSUED = "postal_request.letter_reissued", "Courrier réédité"
    COMPANY_CHANGED = "company.changed", "Données de l'entreprise corrigées"
    IDSP_ISSUED = "company.idsp_issued", "Identifiant provisoire (IDSP) attribué"
    IDSP_CONVERTED = "company.idsp_converted", "IDSP converti en SIREN"
    SPACE_FROZEN = "space.frozen", "Espace gelé"
    SPACE_UNFREEZE_REQUESTED = "space.unfreeze_requested", "Dégel de l'espace demandé"
    SPACE_UNFROZEN = "space.unfrozen", "Espace dégelé"
    COMPANY_FROZEN = "company.frozen", "Entreprise gelée"
    COMPANY_UNFROZEN = "company.unfrozen", "Entreprise dégelée"
    LOGIN_REFUSED_FROZEN = "login.frozen", "Connexion refusée : espace gelé"
    # Delegation requests from firms and groups of dossiers (docs/habilitations.md §12, §13).
    DELEGATION_REQUEST_SENT = "delegation_request.sent", "Demande de délégation envoyée"
    DELEGATION_REQUEST_NOT_SENT = (
        "delegation_request.not_sent",
        "Demande de délégation refusée à l'envoi",
    )
    DELEGATION_REQUEST_ACCEPTED = "delegation_request.accepted", "Demande de délégation acceptée"
    DELEGATION_REQUEST_REFUSED = "delegation_request.refused", "Demande de délégation refusée"
    DELEGATION_REQUEST_EXPIRED = "delegation_request.expired", "Demande de délégation expirée"
    DELEGATION_REQUEST_WITHDRAWN = "delegation_request.withdrawn", "Demande de délégation retirée"
    DELEGATION_REQUEST_FIRM_BLOCKED = "delegation_request.firm_blocked", "Cabinet bloqué"
    DELEGATION_REQUEST_FIRM_UNBLOCKED = "delegation_request.firm_unblocked", "Cabinet débloqué"
    GROUP_CREATED = "group.created", "Groupe de dossiers créé"
    GROUP_DELETED = "group.deleted", "Groupe de dossiers supprimé"
    GROUP_DOSSIERS_ADDED = "group.dossiers_added", "Dossiers ajoutés à un groupe"
    GROUP_DOSSIERS_REMOVED = "group.dossiers_removed", "Dossiers retirés d'un groupe"
    GROUP_MEMBER_ADDED = "group.member_added", "Collaborateur ajouté à un groupe"
    GROUP_MEMBER_REMOVED = "group.member_removed", "Collaborateur retiré d'un groupe"
    # Review fixes of the back office (docs/backoffice.md §4, §7.2): a refused agent action.
    AGENT_ACTION_REFUSED = "agent.action_refused", "Agent : action refusée"
    # Agents' own accounts and four eyes (docs/backoffice.md §1.1, §1.8, §1.9, §7.2.1).
    AGENT_ACTIVATION_SENT = "agent.activation_sent", "Agent : code d'activation envoyé"
    AGENT_PASSWORD_CHANGED = "agent.password_changed", "Agent : mot de passe modifié"
    AGENT_REAUTHENTICATION_FAILED = (
        "agent.reauthentication_failed",
        "Agent : mot de passe actuel erroné",
    )
    AGENT_DEVICE_REPLACED = (
        "agent.device_replaced",
        "Agent : application d'authentification remplacée",
    )
    AGENT_SECOND_FACTOR_RESET = "agent.second_factor_reset", "Agent : second facteur réinitialisé"
    AGENT_RESET_CODE_USED = "agent.reset_code_used", "Agent : code de réinitialisation utilisé"
    SPACE_UNFREEZE_APPROVED = "space.unfreeze_approved", "Dégel de l'espace approuvé"
    # The secure messaging (docs/messaging.md §8).
    MESSAGE_THREAD_STARTED = "message.thread_started", "Messagerie : conversation ouverte"
    MESSAGE_SENT = "message.sent", "Messagerie : message envoyé"
    MESSAGE_ANSWERED = "message.answered", "Messagerie : réponse de l'administration"
    THREAD_CLOSED = "thread.closed", "Messagerie : conversation close"
    THREAD_REOPENED = "thread.reopened", "Messagerie : conversation rouverte"
    THREAD_TAKEN = "thread.taken", "Messagerie : conversation prise en charge"
    THREAD_REASSIGNED = (
        "thread.reassigned",
        "Messagerie : conversation transmise à un autre service",
    )
    THREAD_READ_BY_AGENT = "thread.read_by_agent", "Messagerie : conversation lue par un agent"
    ATTACHMENT_READ_BY_AGENT = (
        "attachment.read_by_agent",
        "Messagerie : pièce jointe ouverte par un agent",
    )
    NOTE_ADDED = "note.added", "Messagerie : note interne ajoutée"
    CANNED_ANSWER_SAVED = "canned_answer.saved", "Messagerie : réponse type enregistrée"
    MESSAGING_EMAILS_CHANGED = (
        "messaging.emails_changed",
        "Messagerie : courriels de notification activés ou désactivés",
    )


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit trail is append-only.")

    def delete(self):
        raise PermissionError("The audit trail is append-only.")


class AuditEvent(models.Model):
    """One line of the audit trail (docs/security.md §10): who, what, on what, when, from where.

    The application only ever inserts: updates and deletes are refused.
    """

    at = models.DateTimeField(db_index=True)
    # An `Action` value; not declared as choices so that new actions need no migration.
    action = models.CharField(max_length=64, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # What the event is about when it is not the actor (an e-mail, a company, …).
    target = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["actor", "-at"]), models.Index(fields=["target", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.target}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit trail is append-only.")

    @property
    def action_label(self) -> str:
        try:
            return Action(self.action).label
        except ValueError:
            return self.action
