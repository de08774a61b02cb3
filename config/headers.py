"""The security headers' policies (docs/security.md §11), imported by config/settings.py: the
Content-Security-Policy (Django's middleware) and where its violations are reported, and the
browser features refused to every page (django-permissions-policy)."""

from django.utils.csp import CSP

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    # Violations are reported to web.reports.csp_report, which logs them (docs/security.md §11):
    # report-to for current browsers (with the Reporting-Endpoints header of
    # web.middleware.ReportingEndpointsMiddleware), report-uri for the others.
    "report-uri": ["/securite/rapport-csp/"],
    "report-to": ["csp"],
}
REPORTING_ENDPOINTS = {"csp": "/securite/rapport-csp/"}
# Browser features no page uses are refused to every page and frame (django-permissions-policy).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}
# Passkeys (docs/security.md §14.6): the site's own pages run WebAuthn, no frame does.
PERMISSIONS_POLICY["publickey-credentials-get"] = ["self"]
PERMISSIONS_POLICY["publickey-credentials-create"] = ["self"]
