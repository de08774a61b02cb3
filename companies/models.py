from django.db import models

from companies.identifiers import fold_name


class Company(models.Model):
    """A company of the registry, identified by its SIREN or, while it waits for one, an IDSP."""

    # SIREN (9 digits) or IDSP ('P' + 8 digits): one column, they can never collide (SPEC §3).
    identifier = models.CharField("SIREN ou équivalent", max_length=9, unique=True)
    name = models.CharField("Dénomination", max_length=250)
    legal_category = models.CharField("Catégorie juridique", max_length=4, blank=True)
    is_active = models.BooleanField("Active", default=True)  # INSEE state A (active) / C (ceased)
    head_office_nic = models.CharField("NIC du siège", max_length=5, blank=True)
    # The name folded to upper case without accents, for prefix search.
    search_name = models.CharField(max_length=250, db_index=True, editable=False, default="")
    street_line = models.CharField("Adresse", max_length=250, blank=True)
    postal_code = models.CharField("Code postal", max_length=10, blank=True)
    city = models.CharField("Commune", max_length=100, blank=True)

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
        self.search_name = fold_name(self.name)
        super().save(*args, **kwargs)

    @property
    def fiscal_address(self) -> str:
        return "\n".join(
            line for line in [self.street_line, f"{self.postal_code} {self.city}".strip()] if line
        )
