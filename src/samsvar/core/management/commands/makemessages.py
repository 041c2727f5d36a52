"""Django's makemessages, also extracting `_lazy(...)`: samsvar modules import gettext_lazy
under that name where `_` is already gettext."""

from django.core.management.commands.makemessages import Command as DjangoMakeMessages


class Command(DjangoMakeMessages):
    xgettext_options = [*DjangoMakeMessages.xgettext_options, "--keyword=_lazy"]
