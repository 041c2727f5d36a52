"""`samsvar risk report|export|import`: the risk management file of a device on the command line.

    samsvar risk report DEVICE --format pdf|docx -o FILE
    samsvar risk export DEVICE -o FILE.xlsx
    samsvar risk import DEVICE FILE.xlsx --user USERNAME [--reason TEXT]

DEVICE is the device's id or its exact name. `report` writes the risk management report (ISO
14971:2019 9) generated from the live file; `export` the risk table; `import` reads an edited
risk table back through the services, as USERNAME, who must be allowed to change risk files. An
import checks every row first: with any error it prints each one by row and column, exits 2 and
changes nothing. Invalid input (unknown device or user, unreadable file) exits 2 with the reason.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from samsvar.devices.models import Device
from samsvar.risk import xlsx
from samsvar.risk.models import ReportFormat, Risk

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def refuse(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def find_device(text: str) -> Device:
    """The device whose id or exact name is `text`; refused when there is none, or when the
    text is one device's id and another device's name."""
    text = text.strip()
    found = {device.pk: device for device in Device.objects.filter(name=text)}
    if text.isdigit():
        found.update({device.pk: device for device in Device.objects.filter(pk=int(text))})
    if not found:
        raise refuse(_("No device has the id or the name “%(device)s”.") % {"device": text})
    if len(found) > 1:
        raise refuse(
            _("“%(device)s” is the id of one device and the name of another (%(names)s).")
            % {"device": text, "names": ", ".join(d.name for d in found.values())}
        )
    return next(iter(found.values()))


def write(path: Path, content: bytes) -> None:
    try:
        path.write_bytes(content)
    except OSError as exc:
        raise refuse(
            _("Cannot write %(file)s: %(reason)s") % {"file": path, "reason": exc.strerror}
        ) from None


def need_suffix(path: Path, suffix: str) -> None:
    if path.suffix.lower() != suffix:
        raise refuse(
            _("Cannot write %(file)s: the file name must end in %(suffix)s.")
            % {"file": path, "suffix": suffix}
        )


class Command(BaseCommand):
    help = (
        "The risk management file of a device: write its report (report DEVICE --format pdf|docx "
        "-o FILE), export its risk table (export DEVICE -o FILE.xlsx) or import an edited risk "
        "table (import DEVICE FILE.xlsx --user USERNAME). DEVICE is the id or the exact name."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{report,export,import}"
        )
        report = actions.add_parser("report", help="Write the risk management report.")
        export = actions.add_parser("export", help="Write the risk table as XLSX.")
        load = actions.add_parser(
            "import", help="Import an edited risk table; nothing changes if any row is invalid."
        )
        for action in (report, export, load):
            action.add_argument("device", metavar="DEVICE", help="The device's id or exact name.")
            action.add_argument(
                "--language",
                choices=LANGUAGES,
                default=settings.LANGUAGE_CODE,
                help="Language of the document and the messages (default: %(default)s).",
            )
        report.add_argument("--format", dest="fmt", required=True, choices=ReportFormat.values)
        report.add_argument("-o", "--output", required=True, help="The file to write.")
        export.add_argument("-o", "--output", required=True, help="FILE.xlsx")
        load.add_argument("file", metavar="FILE", help="The edited FILE.xlsx.")
        load.add_argument(
            "--user", required=True, help="User name of the person the changes are made as."
        )
        load.add_argument(
            "--reason", default="", help="Why; kept in the audit trail of every change."
        )

    def handle(self, *args, action, device, language, **options):
        with translation.override(language):
            found = find_device(device)
            if action == "report":
                return self.report(found, options["fmt"], Path(options["output"]), language)
            if action == "export":
                return self.export(found, Path(options["output"]))
            return self.load(found, Path(options["file"]), options["user"], options["reason"])

    def report(self, device: Device, fmt: str, path: Path, language: str):
        need_suffix(path, f".{fmt}")
        from samsvar.risk.report import render_report

        write(path, render_report(device, fmt, language))
        self.stdout.write(
            _("Risk management report of %(device)s written to %(file)s")
            % {"device": device.name, "file": path}
        )

    def export(self, device: Device, path: Path):
        need_suffix(path, ".xlsx")
        write(path, xlsx.export_risk_table(device))
        self.stdout.write(
            _("Risk table of %(device)s (%(count)s risks) written to %(file)s")
            % {
                "device": device.name,
                "count": Risk.objects.filter(device=device).count(),
                "file": path,
            }
        )

    def load(self, device: Device, path: Path, username: str, reason: str):
        actor = get_user_model().objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise refuse(_("No active user has the user name “%(user)s”.") % {"user": username})
        try:
            if path.stat().st_size > xlsx.MAX_BYTES:
                raise refuse(
                    _("The file is larger than %(size)s MB.")
                    % {"size": xlsx.MAX_BYTES // (1024 * 1024)}
                )
            data = path.read_bytes()
        except OSError as exc:
            raise refuse(
                _("Cannot read %(file)s: %(reason)s") % {"file": path, "reason": exc.strerror}
            ) from None
        try:
            result = xlsx.import_risk_table(actor=actor, device=device, data=data, reason=reason)
        except PermissionDenied:
            raise refuse(
                _("%(user)s may not change risk management files.") % {"user": username}
            ) from None
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise refuse(result.summary())
        self.stdout.write(result.summary())
