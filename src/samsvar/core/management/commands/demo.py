"""`samsvar demo`: migrate, load the Fjordmed demo data and serve with gunicorn until stopped."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from samsvar.accounts.demo import DEMO_USERS
from samsvar.core import demo

ADDR = re.compile(r"^(?P<host>\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(?P<port>\d{1,5})$")


def parse_addr(value: str) -> tuple[str, int]:
    match = ADDR.match(value.strip())
    if not match or not 0 < int(match["port"]) < 65536:
        raise CommandError(f"--addr {value!r} is not HOST:PORT (for example 127.0.0.1:8000)")
    return match["host"], int(match["port"])


class Command(BaseCommand):
    help = "Set up the database, load the Fjordmed AS demo data and serve samsvar."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="HOST:PORT to listen on")
        parser.add_argument(
            "--no-serve", action="store_true", help="set up and load the data, then exit"
        )
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, addr, no_serve, workers, **options):
        host, port = parse_addr(addr)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        password = demo.demo_password()
        try:
            changed = demo.load(password)
        except ValidationError as exc:
            raise CommandError(
                "SAMSVAR_DEMO_PASSWORD is not accepted as a password: " + " ".join(exc.messages)
            ) from None
        self.stdout.write(
            "Demo data loaded." if changed else "Demo data already present; nothing changed."
        )
        url_host = "127.0.0.1" if host in {"0.0.0.0", "[::]"} else host  # noqa: S104
        self.stdout.write(f"\nsamsvar is running at http://{url_host}:{port}/\n")
        self.stdout.write("Demo logins (username / role), password for all: " + password)
        for username, full_name, role, _title in DEMO_USERS:
            self.stdout.write(f"  {username:<11} {full_name:<15} {role.label}")
        self.stdout.write("Press Ctrl+C to stop.\n")
        if no_serve:
            return
        if host in {"0.0.0.0", "[::]"}:  # noqa: S104
            settings.ALLOWED_HOSTS = ["*"]
        connections.close_all()
        serve(f"{host}:{port}", workers=max(1, workers))


def serve(bind: str, *, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    from samsvar.wsgi import application

    class Server(BaseApplication):
        def load_config(self):
            for key, value in {
                "bind": bind,
                "workers": workers,
                "worker_class": "gthread",
                "threads": 4,
                "accesslog": None,
                "errorlog": "-",
                "loglevel": "warning",
                "timeout": 120,
            }.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    Server().run()
