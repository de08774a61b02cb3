// Passkeys (docs/security.md §14.6). django-otp-webauthn's scripts (otp_webauthn_auth.js,
// otp_webauthn_register.js) run the ceremony; they word their messages through `gettext`,
// which Django's JavaScript catalogue would define: here, a static file (the CSP allows no
// inline script), with the French of the messages they use. After a passkey is added, its
// script only announces it: go to the page that names it (`redirect_url` of the answer).
(function () {
  var FR = {
    "An error occurred during registration.": "Une erreur s'est produite pendant l'enregistrement.",
    "An error occurred during verification.": "Une erreur s'est produite pendant la vérification.",
    "Finishing registration...": "Enregistrement en cours…",
    "Finishing verification...": "Vérification en cours…",
    "Register a Passkey": "Ajouter une clé d'accès",
    "Registering...": "Enregistrement…",
    "Registration aborted or not allowed.": "Enregistrement annulé ou refusé.",
    "Registration aborted.": "Enregistrement annulé.",
    "Registration failed. A server error occurred.": "L'enregistrement a échoué : erreur du serveur.",
    "Registration failed. A technical problem occurred that prevents you from registering a Passkey for this site.":
      "L'enregistrement a échoué : un problème technique empêche d'enregistrer une clé d'accès pour ce site.",
    "Registration failed. An unknown error occurred.": "L'enregistrement a échoué : erreur inconnue.",
    "Registration failed. The server was unable to verify this passkey.":
      "L'enregistrement a échoué : cette clé d'accès n'a pas pu être vérifiée. Rechargez la page et réessayez.",
    "Registration failed. Unable to fetch registration options from server.":
      "L'enregistrement n'a pas pu commencer. Rechargez la page et réessayez.",
    "Registration failed. You most likely already have a Passkey registered for this site.":
      "L'enregistrement a échoué : cet appareil détient sans doute déjà une clé d'accès pour votre espace.",
    "Registration successful!": "Clé d'accès enregistrée.",
    "Verification aborted.": "Vérification annulée.",
    "Verification canceled or not allowed.": "Vérification annulée ou refusée.",
    "Verification failed. A server error occurred.": "La vérification a échoué : erreur du serveur.",
    "Verification failed. An unknown error occurred.": "La vérification a échoué : erreur inconnue.",
    "Verification failed. An unknown server error occurred.": "La vérification a échoué : erreur du serveur.",
    "Verification failed. Could not retrieve parameters from the server.":
      "La vérification n'a pas pu commencer. Rechargez la page et réessayez.",
    "Verification successful!": "Vérification réussie.",
    "Verify with Passkey": "Utiliser une clé d'accès",
    "Verifying...": "Vérification…"
  };
  if (typeof window.gettext !== "function") {
    window.gettext = function (text) { return FR[text] || text; };
  }
  if (!window.passkeyListening) {
    window.passkeyListening = true;
    document.addEventListener("otp_webauthn.register_complete", function (event) {
      var answer = event.detail && event.detail.response;
      if (answer && typeof answer.redirect_url === "string" && answer.redirect_url.charAt(0) === "/") {
        window.location.assign(answer.redirect_url);
      }
    });
  }
})();
