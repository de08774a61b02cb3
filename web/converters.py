"""URL converters: a company identifier in a URL is a SIREN (9 digits) or an IDSP (P + 8
digits), nothing else reaches a view (no 500 on odd bytes)."""


class CompanyIdentifierConverter:
    regex = r"[0-9]{9}|P[0-9]{8}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
