"""A message whose words agree with a number (the refusals' catalogue, `core.refusals`)."""

from dataclasses import dataclass

from django.utils.translation import ngettext


@dataclass(frozen=True)
class Plural:
    """A message whose words agree with a number: `count` names the parameter that counts.
    French plural rule (0 and 1 are singular) through the project's catalogue (`locale/`)."""

    singular: str
    plural: str
    count: str = "count"

    def format(self, **params) -> str:
        return ngettext(self.singular, self.plural, params[self.count]).format(**params)
