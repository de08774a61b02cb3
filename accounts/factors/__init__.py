"""Second factors of a subscriber's login (docs/security.md §14): the e-mailed code (the
default, nothing to enrol), an authenticator app (TOTP), recovery codes; the remembered
browser; the reset of every factor by an agent. Each kind of factor declares itself in
`accounts.factors.registry` (passkeys will be one more kind)."""
