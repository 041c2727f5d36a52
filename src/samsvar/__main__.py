"""The `samsvar` command: the project's manage.py plus the project commands."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samsvar.settings")
    if len(sys.argv) > 1 and sys.argv[1] == "demo":
        # The demo runs without a configured secret key; settings read this before setup.
        os.environ.setdefault("SAMSVAR_MODE", "demo")
    from samsvar.config import ConfigError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(sys.argv)
    except ConfigError as exc:
        sys.stderr.write(f"samsvar: configuration error: {exc}\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
