from django.conf import settings
from django.db import models

from companies.names import search_key
from core.one_time import new_public_id


class Company(models.Model):
    """A company of the registry, identified by its SIREN or, while it waits for one, an IDSP."""

    # SIREN (9 digits) or IDSP ('P' + 8 digits): one column, they can never collide
    # (docs/companies.md §1).
    identifier = models.CharField("SIREN ou équivalent", max_length=9, unique=True)
    name = models.CharField("Dénomination", max_length=250)
    legal_category = models.CharField("Catégorie juridique", max_length=4, blank=True)
    is_active = models.BooleanField("Active", default=True)  # INSEE state A (active) / C (ceased)
    head_office_nic = models.CharField("NIC du siège", max_length=5, blank=True)
    # The name as searched and sorted (`companies.names.search_key`): words in upper case,
    # without accents or punctuation, the legal form set aside.
    search_name = models.CharField(max_length=250, db_index=True, editable=False, default="")
    street_line = models.CharField("Adresse", max_length=250, blank=True)
    postal_code = models.CharField("Code postal", max_length=10, blank=True)
    city = models.CharField("Commune", max_length=100, blank=True)
    # An entity without SIREN, given an IDSP by an agent, may be abroad (docs/backoffice.md §6).
    country = models.CharField("Pays", max_length=60, blank=True)
    # The IDSP it had before its SIREN (docs/backoffice.md §6): its history is found under both.
    previous_identifier = models.CharField("Ancien identifiant", max_length=9, blank=True)
    # Set by an agent (docs/backoffice.md §7): no habilitation changes, no letter goes out.
    frozen_at = models.DateTimeField("Gelée le", null=True, blank=True)

    class Meta:
        verbose_name = "entreprise"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(identifier__regex=r"^([0-9]{9}|P[0-9]{8})$"),
                name="company_identifier_format",
            ),
            models.CheckConstraint(condition=models.Q(name__gt=""), name="company_has_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.identifier})"

    def save(self, *args, **kwargs):
        self.search_name = search_key(self.name)
        super().save(*args, **kwargs)

    @property
    def fiscal_address(self) -> str:
        country = self.country if self.country.upper() not in {"", "FRANCE"} else ""
        return "\n".join(
            line
            for line in [self.street_line, f"{self.postal_code} {self.city}".strip(), country]
            if line
        )

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class BankAccount(models.Model):
    """A bank account of the company, used only to pay taxes (docs/companies.md §4).

    Managed by the AT/AS of a Payer service (docs/habilitations.md §2); never deleted, only made
    inactive, so that payments already made keep their account.
    """

    # The company's key is served by the indexes below.
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="bank_accounts", db_index=False
    )
    iban = models.CharField("IBAN", max_length=34)  # compact, upper case
    bic = models.CharField("BIC", max_length=11)
    holder = models.CharField("Titulaire du compte", max_length=70)
    label = models.CharField("Libellé", max_length=50, blank=True)
    is_active = models.BooleanField("Actif", default=True)
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "compte bancaire"
        constraints = [
            models.UniqueConstraint(fields=["company", "iban"], name="one_account_per_iban"),
            models.CheckConstraint(
                condition=models.Q(iban__regex=r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$"),
                name="bank_account_iban_format",
            ),
            models.CheckConstraint(
                condition=models.Q(bic__regex=r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$"),
                name="bank_account_bic_format",
            ),
        ]
        indexes = [models.Index(fields=["company", "is_active"], name="bank_account_active")]

    def __str__(self) -> str:
        return f"{self.label or self.holder} ({self.iban[:4]}…{self.iban[-4:]})"

    @property
    def iban_display(self) -> str:
        """'FR7630006000011234567890189' -> 'FR76 3000 6000 0112 3456 7890 189'."""
        return " ".join(self.iban[i : i + 4] for i in range(0, len(self.iban), 4))


class CompanyEmail(models.Model):
    """The address where the administration writes to the company (docs/glossary.md §2): it becomes
    the company's only once confirmed by the 72-hour link sent to it (docs/habilitations.md §7,
    docs/accounts.md §13, docs/habilitations.md §2)."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="email_address")
    email = models.EmailField("Adresse électronique de l'entreprise", max_length=100)
    # *Réception des courriels d'information générale de la part de l'administration*.
    general_information = models.BooleanField(default=False)
    confirmed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "adresse électronique d'entreprise"

    def __str__(self) -> str:
        return f"{self.email} ({self.company_id})"


class CompanyEmailChange(models.Model):
    """A new company e-mail waiting for its link to be followed (docs/habilitations.md §2,
    docs/durations.md §1): one per company, the newest (a new request kills the previous link),
    single use."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="email_change")
    email = models.EmailField(max_length=100)
    # The link's URL carries this random id, never the row's key (docs/security.md §5).
    public_id = models.CharField(max_length=22, unique=True, default=new_public_id)
    token_hash = models.CharField(max_length=64)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    requested_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Nouvelle adresse {self.email} pour {self.company_id}"
