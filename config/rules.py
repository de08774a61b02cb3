"""The product's rules that deployments may tune: durations and retention (docs/durations.md),
the one table of limits (docs/security.md §13), the bounds of what a request may carry, the
retries of e-mails, the API's and the back office's figures, the assistance's contact. Each is
settable from the environment; config/settings.py imports them."""

from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_int_list, env_list, env_str

# Durations (docs/durations.md §1), all configurable.
SPACE_ACTIVATION_CODE_VALIDITY = timedelta(hours=env_int("SPACE_ACTIVATION_CODE_HOURS", 48))
COMPANY_EMAIL_LINK_VALIDITY = timedelta(hours=env_int("COMPANY_EMAIL_LINK_HOURS", 72))
POSTAL_CODE_VALIDITY = timedelta(days=env_int("POSTAL_CODE_DAYS", 60))
PASSWORD_VALIDITY = timedelta(days=env_int("PASSWORD_VALIDITY_DAYS", 3 * 365))
PASSWORD_EXPIRY_WARNING = timedelta(days=env_int("PASSWORD_EXPIRY_WARNING_DAYS", 60))
MAX_CODE_ATTEMPTS = env_int("MAX_CODE_ATTEMPTS", 5)
# How long the page and PDF shown right after activating a space stay reachable.
ACTIVATION_RECAP_WINDOW = timedelta(minutes=env_int("ACTIVATION_RECAP_MINUTES", 15))
# E-mails reminding that a password expires, this many days before (each sent once).
PASSWORD_EXPIRY_REMINDER_DAYS = env_int_list("PASSWORD_EXPIRY_REMINDER_DAYS", [60, 15, 1])
# The link of *Mot de passe oublié* and the code confirming a new login e-mail: short-lived.
PASSWORD_RESET_LINK_VALIDITY = timedelta(minutes=env_int("PASSWORD_RESET_LINK_MINUTES", 30))
EMAIL_CHANGE_CODE_VALIDITY = timedelta(minutes=env_int("EMAIL_CHANGE_CODE_MINUTES", 30))
# Once the current password is typed again, sensitive actions (a token for a program, a webhook)
# need not ask it again for this long in that session (docs/security.md §9.1).
REAUTHENTICATION_WINDOW = timedelta(minutes=env_int("REAUTHENTICATION_MINUTES", 10))
# Second factors (docs/security.md §14): the e-mailed login code lives this long; between the
# password and the second factor the pending login waits as long; a remembered browser skips
# the second step this long (six months); how many recovery codes are shown at once; the name
# authenticator apps show beside the account.
LOGIN_CODE_VALIDITY = timedelta(minutes=env_int("LOGIN_CODE_MINUTES", 30))
LOGIN_SECOND_STEP_WINDOW = timedelta(minutes=env_int("LOGIN_SECOND_STEP_MINUTES", 30))
REMEMBERED_BROWSER_VALIDITY = timedelta(days=env_int("REMEMBERED_BROWSER_DAYS", 183))
RECOVERY_CODE_COUNT = env_int("RECOVERY_CODE_COUNT", 10)
SUBSCRIBER_TOTP_ISSUER = env_str("SUBSCRIBER_TOTP_ISSUER", "Espace professionnel")
# A passkey's ceremony (docs/security.md §14.6): the challenge kept in the session is refused
# after this long (and once used); the browser is asked to give up as late.
PASSKEY_CEREMONY_WINDOW = timedelta(minutes=env_int("PASSKEY_CEREMONY_MINUTES", 5))

# A session ends at most this long after login, however active, besides its idle timeout
# (docs/security.md §8.1; web.middleware.SessionLifetimeMiddleware).
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 3600)

# Retention (docs/security.md §12, docs/durations.md §4): `manage.py purge_expired`, run daily,
# erases what is no longer needed this long after it stopped being of use.
# Lapsed registrations (expert mode past their code, simplified mode whose request closed or
# lapsed) and the password and trust-answer hashes they hold.
RETENTION_LAPSED_REGISTRATION = timedelta(days=env_int("RETENTION_LAPSED_REGISTRATION_DAYS", 7))
# The bank details a postal request carried for Payer, once the request is closed.
RETENTION_POSTAL_BANK_DETAILS = timedelta(days=env_int("RETENTION_POSTAL_BANK_DETAILS_DAYS", 30))
# The sealed copy (with its codes and links) of an e-mail never delivered.
RETENTION_UNDELIVERABLE_EMAIL = timedelta(days=env_int("RETENTION_UNDELIVERABLE_EMAIL_DAYS", 7))
# The audit trail (CNIL's recommendation for security logs: six months to a year).
RETENTION_AUDIT = timedelta(days=env_int("RETENTION_AUDIT_DAYS", 365))
if timedelta(days=180) > RETENTION_AUDIT:
    raise ImproperlyConfigured("RETENTION_AUDIT_DAYS must be at least 180 (docs/security.md §12).")

# The longest first or last name accepted (docs/accounts.md §14), in characters after NFC.
PERSON_NAME_MAX_LENGTH = env_int("PERSON_NAME_MAX_LENGTH", 50)

# The one table of limits (docs/security.md §13): "count/period" (s, m, h, d), each settable
# from the environment as RATE_<NAME> (dots as underscores, upper case). core/limits.py counts.
RATE_LIMITS = {
    name: env_str("RATE_" + name.upper().replace(".", "_"), default)
    for name, default in {
        # Logins (§6): failures of one e-mail from one address lock that pair for the window;
        "login.pair": "5/15m",
        # failures of one e-mail from every address ask a CAPTCHA of its next logins (never a lock);
        "login.account": "5/15m",
        # failures from one address, whatever the e-mail, make that address wait.
        "login.address": "30/15m",
        # Registration (§7.3): how often one address may be told "already has a space".
        "registration.address": "10/1h",
        # Wrong space-activation codes from one address (a pending registration's code).
        "activation.address": "10/1h",
        # Wrong codes typed on *Activer mon espace* for one login e-mail, from every address: each
        # is also tried as that e-mail's letters' codes (docs/accounts.md §5.4), so they get the
        # tries a letter's code has on its own page (MAX_CODE_ATTEMPTS), here per day.
        "activation.letter_email": "5/1d",
        # Postal requests (§14): per logged-in requester, per client address, per company
        # (letters to it in the period, whoever asks).
        "postal.requester": "20/1d",
        "postal.address": "10/1d",
        "postal.company": "5/30d",
        # Delegation requests (docs/habilitations.md §12.5): per requesting space, and per
        # company asked (whoever asks), each day.
        "delegation_request.requester": "300/1d",
        "delegation_request.company": "10/1d",
        # Previews of a list of companies to ask, per requesting space (review finding 6).
        "delegation_request.preview": "30/1h",
        # Single requests (one SIREN) refused for their company, per requesting space: each
        # refusal tells something of the company (its administered services, a block).
        "delegation_request.refused": "30/1h",
        # CPU-heavy anonymous endpoints, per address: the strength meter, CSP reports.
        "strength.address": "120/1m",
        "csp.address": "60/1m",
        # Second factors (§14): wrong codes (e-mailed, app, recovery) of one person, every
        # process and address together; codes e-mailed to one person (logins, resends,
        # step-ups, a second address's confirmation).
        "factor.code": "10/1h",
        "factor.send": "10/1h",
        # The JSON API (docs/api.md §6): calls per subscriber's space (all its tokens together),
        # per service client, per client address (every call but a service client's), calls
        # without a valid credential per address, failed client-credential requests per address.
        "api.space": "600/1m",
        "api.client": "30000/1m",
        "api.address": "1200/1m",
        "api.unidentified_address": "60/1m",
        "api.oauth_address": "30/1m",
        # The agents' back office (docs/backoffice.md §1): failed logins per agent, per address.
        "agent.login": "5/15m",
        "agent.address": "30/15m",
        # The CAPTCHA's sound (a program run per request), per address.
        "captcha_audio.address": "20/1m",
        # The secure messaging (docs/messaging.md §6): messages written by a company's side per
        # company and per person each day; bytes of attachments per company each day.
        "messaging.company": "100/1d",
        "messaging.person": "50/1d",
        "messaging.bytes": f"{200 * 1024 * 1024}/1d",
    }.items()
}
# The JSON API (docs/api.md): a personal access token lives at most API_TOKEN_MAX_DAYS, a
# subscriber holds at most API_TOKENS_PER_SUBSCRIBER live ones; a service client's bearer
# lives API_SERVICE_TOKEN_SECONDS; answers kept for Idempotency-Key for API_IDEMPOTENCY_HOURS.
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 730)
API_TOKENS_PER_SUBSCRIBER = env_int("API_TOKENS_PER_SUBSCRIBER", 20)
API_SERVICE_TOKEN_SECONDS = env_int("API_SERVICE_TOKEN_SECONDS", 600)
# A bearer read in the shared cache is also kept this long in the app process's memory: a
# revoked client's calls stop within that time in every process (api/clients.py).
API_BEARER_MEMORY_SECONDS = env_int("API_BEARER_MEMORY_SECONDS", 1)
API_IDEMPOTENCY_HOURS = env_int("API_IDEMPOTENCY_HOURS", 24)
# Webhooks: at most this many per subscriber; each event tried API_WEBHOOK_MAX_ATTEMPTS times,
# API_WEBHOOK_RETRY_SECONDS after the first failure then twice as long after each; a try waits
# API_WEBHOOK_TIMEOUT_SECONDS for an answer. Addresses must be public unless
# API_WEBHOOK_ALLOW_PRIVATE (tests, a laptop). Receivers' certificates are checked against the
# authorities of certifi (httpx's default) unless API_WEBHOOK_CA_BUNDLE names a PEM file of
# other authorities to trust instead (a test's throw-away authority, an internal PKI).
API_WEBHOOKS_PER_SUBSCRIBER = env_int("API_WEBHOOKS_PER_SUBSCRIBER", 5)
API_WEBHOOK_MAX_ATTEMPTS = env_int("API_WEBHOOK_MAX_ATTEMPTS", 8)
API_WEBHOOK_RETRY_FIRST_DELAY = timedelta(seconds=env_int("API_WEBHOOK_RETRY_SECONDS", 60))
API_WEBHOOK_TIMEOUT_SECONDS = env_int("API_WEBHOOK_TIMEOUT_SECONDS", 5)
API_WEBHOOK_ALLOW_PRIVATE = env_bool("API_WEBHOOK_ALLOW_PRIVATE", False)
API_WEBHOOK_CA_BUNDLE = env_str("API_WEBHOOK_CA_BUNDLE", "")

# Open postal requests (a live link or code) for one company at a time, whoever asks.
POSTAL_OPEN_REQUESTS_PER_COMPANY = env_int("POSTAL_OPEN_REQUESTS_PER_COMPANY", 3)
# The same postal request sent again by the same person within this many seconds (a
# double-click) is answered with the first: no second letter (docs/habilitations.md §6.8).
POSTAL_REPEAT_SECONDS = env_int("POSTAL_REPEAT_SECONDS", 10)
# Delegation requests (docs/habilitations.md §12): how long one waits for its answer, and how
# many a requesting space may have waiting at once.
DELEGATION_REQUEST_VALIDITY = timedelta(days=env_int("DELEGATION_REQUEST_DAYS", 21))
DELEGATION_REQUESTS_PENDING_PER_REQUESTER = env_int(
    "DELEGATION_REQUESTS_PENDING_PER_REQUESTER", 1000
)
# Progressive slowdown (§6): after this many failures of a pair, wait 2, 4, 8… seconds.
LOGIN_SLOWDOWN_AFTER = env_int("LOGIN_SLOWDOWN_AFTER", 3)

# The assistance to users of the online services (issue 12 §6, docs/help.md §3): shown on the
# help pages, where the CAPTCHA's sound is missing, and in the home page's help block.
ASSISTANCE_PHONE = env_str("ASSISTANCE_PHONE", "0809 400 210")
ASSISTANCE_PHONE_PRICE = env_str("ASSISTANCE_PHONE_PRICE", "service gratuit + prix appel")
ASSISTANCE_HOURS = env_str("ASSISTANCE_HOURS", "de 8h00 à 19h30 du lundi au vendredi")

# --- The agents' back office (issue 14, docs/backoffice.md) -------------------------------
AGENT_URL_PREFIX = "/agents/"
# Agents' sessions end after 15 idle minutes (their own table and cookie, docs/backoffice.md §1).
AGENT_SESSION_IDLE_SECONDS = env_int("AGENT_SESSION_IDLE_SECONDS", 15 * 60)
# Client networks allowed to reach the agents' pages ("10.0.0.0/8,192.168.1.0/24"); empty: any,
# for DEBUG only (`check --deploy` fails, backoffice/checks.py).
AGENT_ALLOWED_NETWORKS = env_list("AGENT_ALLOWED_NETWORKS", [])
# A new agent's activation code, and the code that stands in for the second factor after a
# supervisor reset it, go by e-mail to the agent's address and last 72 hours.
AGENT_ACTIVATION_VALIDITY = timedelta(hours=env_int("AGENT_ACTIVATION_HOURS", 72))
# The administration's mail domains agents' addresses must belong to ("dgfip.finances.gouv.fr"),
# so that the code reaches the holder of a professional mailbox; empty: any (development only,
# `check --deploy` warns).
AGENT_EMAIL_DOMAINS = [d.lower() for d in env_list("AGENT_EMAIL_DOMAINS", [])]
# Four eyes (docs/backoffice.md §7.2.1): until an account is this old, whoever created it may
# be behind it; two agents that may hide the same person are not each other's second eyes.
AGENT_FOUR_EYES_PERIOD = timedelta(days=env_int("AGENT_FOUR_EYES_DAYS", 30))
# Resetting the second factors of a space holding administrator roles (AT/AS) on more companies
# than this needs a second agent (four eyes, docs/backoffice.md §7.4).
FACTOR_RESET_FOUR_EYES_COMPANIES = env_int("FACTOR_RESET_FOUR_EYES_COMPANIES", 20)
# The name TOTP applications show beside the agent's account.
AGENT_TOTP_ISSUER = env_str("AGENT_TOTP_ISSUER", "Espace professionnel (agents)")

# --- What a request may carry (docs/security.md §11) ---------------------------------------
# A list of companies, uploaded or pasted, is bounded before it is parsed: its size (a file's
# bytes, a pasted text's characters) and its lines.
IDENTIFIER_LIST_MAX_BYTES = env_int("IDENTIFIER_LIST_MAX_BYTES", 100 * 1024)
IDENTIFIER_LIST_MAX_LINES = env_int("IDENTIFIER_LIST_MAX_LINES", 1000)
# The largest CSP report accepted (a report is well under 2 KiB).
CSP_REPORT_MAX_BYTES = env_int("CSP_REPORT_MAX_BYTES", 8 * 1024)
# What a multi-page form (the sign-ups) may keep in the session, sealed: a larger payload is
# refused with a 400; drafts are cut to their fields' lengths before that.
WIZARD_MAX_BYTES = env_int("WIZARD_MAX_BYTES", 16 * 1024)

# The CAPTCHA of *Mot de passe expiré* (django-simple-captcha): 6 characters (docs/accounts.md §9).
CAPTCHA_LENGTH = env_int("CAPTCHA_LENGTH", 6)
CAPTCHA_TIMEOUT = env_int("CAPTCHA_MINUTES", 10)
CAPTCHA_FONT_SIZE = 28
CAPTCHA_IMAGE_SIZE = (180, 50)
# « Ecouter l'extrait sonore » (issue 12 §6, docs/accounts.md §15): the program that reads the
# characters in French (Debian's espeak-ng; `make test` installs it) and its speed in words per
# minute. Without it the pages say the sound is not available.
CAPTCHA_SPEECH_COMMAND = env_str("CAPTCHA_SPEECH_COMMAND", "espeak-ng")
CAPTCHA_SPEECH_RATE = env_int("CAPTCHA_SPEECH_RATE", 120)

# How long the number of entries of a portfolio is kept in the shared cache between its
# changes (habilitations/portfolio/count.py; the cache is PORTFOLIO_COUNT_CACHE).
PORTFOLIO_COUNT_SECONDS = env_int("PORTFOLIO_COUNT_SECONDS", 3600)

# Undelivered e-mails (docs/correspondence.md §1.2), retried by `deliver_emails`. One the mail
# server refused: after EMAIL_RETRY_SECONDS, then twice as long after each refusal, and given
# up after EMAIL_MAX_ATTEMPTS refusals (8 with 60 s: the last one about 2 h after the first).
# While the server is unavailable (down, hanging past EMAIL_TIMEOUT): every
# EMAIL_UNAVAILABLE_RETRY_SECONDS, never given up for it.
EMAIL_RETRY_FIRST_DELAY = timedelta(seconds=env_int("EMAIL_RETRY_SECONDS", 60))
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 8)
EMAIL_UNAVAILABLE_RETRY = timedelta(seconds=env_int("EMAIL_UNAVAILABLE_RETRY_SECONDS", 60))
# A delivery in progress holds its e-mail this long, so that the queue's task and
# `deliver_emails` never send it twice; after a crash it is due again once this has passed.
EMAIL_DELIVERY_LEASE = timedelta(seconds=env_int("EMAIL_DELIVERY_LEASE_SECONDS", 300))

# The scheduler process (ops.scheduler): how often it looks for due jobs, and how often a
# second scheduler, standing by, tries to take over.
SCHEDULER_POLL_SECONDS = env_int("SCHEDULER_POLL_SECONDS", 10)
SCHEDULER_STANDBY_SECONDS = env_int("SCHEDULER_STANDBY_SECONDS", 30)

# --- The secure messaging (issue 23, docs/messaging.md) -----------------------------------
# Attachments: at most this many bytes each, this many per message (PDF, JPEG, PNG).
MESSAGING_ATTACHMENT_MAX_BYTES = env_int("MESSAGING_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
MESSAGING_MAX_ATTACHMENTS = env_int("MESSAGING_MAX_ATTACHMENTS", 5)
# Files a request may carry (Django refuses more with a 400): a message's attachments and one
# more, so that one too many gets the messaging's own French refusal.
DATA_UPLOAD_MAX_NUMBER_FILES = MESSAGING_MAX_ATTACHMENTS + 1
# The longest text of a message, in characters (a subject is at most 150).
MESSAGING_MESSAGE_MAX_CHARS = env_int("MESSAGING_MESSAGE_MAX_CHARS", 8000)
# A closed conversation may be answered once more by the company within this many days.
MESSAGING_REOPEN_DAYS = env_int("MESSAGING_REOPEN_DAYS", 15)
# Conversations closed (or without a message) for this long are erased with their attachments
# by `purge_expired`.
MESSAGING_RETENTION_DAYS = env_int("MESSAGING_RETENTION_DAYS", 3 * 365)
if MESSAGING_RETENTION_DAYS < MESSAGING_REOPEN_DAYS:
    raise ImproperlyConfigured("MESSAGING_RETENTION_DAYS must be at least MESSAGING_REOPEN_DAYS.")

# A company's requirement of a strong factor (docs/habilitations.md §14) applies at the earliest
# this many days after it is decided, so that its holders have time to enrol an app or a passkey.
STRONG_FACTOR_NOTICE_DAYS = env_int("STRONG_FACTOR_NOTICE_DAYS", 14)
