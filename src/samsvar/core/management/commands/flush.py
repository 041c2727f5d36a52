from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from samsvar.core import triggers


class Command(FlushCommand):
    help = "Remove ALL data, audit trail included, and leave the append-only triggers in place."

    def handle(self, **options):
        connection = connections[options["database"]]
        with triggers.maintenance(connection):
            return super().handle(**options)
