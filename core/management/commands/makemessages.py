"""Django's makemessages, also extracting the plural messages of `core.refusals.Plural`, and
never guessing a translation from a similar message (the catalogue is French by French)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=Plural:1,2"]
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
