"""`samsvar classify --regime mdr|ivdr FILE`: Annex VIII classification of device profiles.

FILE (or `-` for standard input) holds one JSON profile, or a JSON array of profiles. The answer
is the same shape: one result object, or an array of results in the same order. A profile that
cannot be classified gives {"error": "..."} in its place and the command exits 2; so does an
unreadable file or invalid JSON. `--explain` prints the results as readable text instead.

Only the pure engine in samsvar.regulatory.classification is used: no database is touched.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from samsvar.regulatory.classification import ProfileError, classify

SPECIAL_NAMES = {
    "sterile": "sterile",
    "measuring": "measuring function",
    "reusable_surgical": "reusable surgical instrument",
}


class Command(BaseCommand):
    help = (
        "Classify device profiles under MDR or IVDR Annex VIII. FILE holds a JSON profile or "
        "an array of profiles ('-' reads standard input); the result is printed as JSON, or as "
        "text with --explain. Exits 2 if any profile is invalid."
    )
    # Classification needs neither the database nor a clean system check.
    requires_system_checks = []
    # Tests pass a file-like object as standard input through call_command(stdin=...).
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "file", metavar="FILE", help="JSON file with the profile(s); '-' for stdin."
        )
        parser.add_argument(
            "--regime", required=True, choices=["mdr", "ivdr"], help="The regulation to apply."
        )
        parser.add_argument(
            "--explain", action="store_true", help="Print readable text instead of JSON."
        )

    def handle(self, *args, file, regime, explain, **options):
        data = self.read(file, options.get("stdin") or sys.stdin)
        many = isinstance(data, list)
        if not many and not isinstance(data, dict):
            raise CommandError(
                f"{self.name(file)} must hold a JSON object (one profile) or an array of profiles",
                returncode=2,
            )
        profiles = data if many else [data]
        results = []
        for profile in profiles:
            try:
                results.append(classify(regime, profile))
            except ProfileError as exc:
                results.append(exc)
        if explain:
            self.stdout.write(self.explain(results, many))
        else:
            shaped = [self.shape(result) for result in results]
            output = shaped if many else shaped[0]
            self.stdout.write(json.dumps(output, indent=2, ensure_ascii=False))
        invalid = sum(isinstance(result, ProfileError) for result in results)
        if invalid:
            what = "profile is" if invalid == 1 else "profiles are"
            raise CommandError(f"{invalid} {what} invalid", returncode=2)

    @staticmethod
    def name(file: str) -> str:
        return "standard input" if file == "-" else file

    def read(self, file: str, stdin):
        try:
            if file == "-":
                text = stdin.read()
            else:
                with open(file, encoding="utf-8") as handle:
                    text = handle.read()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}", returncode=2) from None
        except UnicodeDecodeError:
            raise CommandError(f"cannot read {file}: it is not UTF-8 text", returncode=2) from None
        try:
            return json.loads(text, object_pairs_hook=_no_duplicates)
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{self.name(file)} is not valid JSON: {exc.msg} at line {exc.lineno} "
                f"column {exc.colno}",
                returncode=2,
            ) from None
        except _DuplicateKey as exc:
            raise CommandError(
                f"{self.name(file)} names attribute {exc.args[0]!r} twice in one object",
                returncode=2,
            ) from None

    @staticmethod
    def shape(result):
        if isinstance(result, ProfileError):
            return {"error": str(result)}
        return result.to_dict()

    @staticmethod
    def explain(results, many: bool) -> str:
        blocks = []
        for number, result in enumerate(results, start=1):
            lines = [f"Profile {number} of {len(results)}"] if many else []
            if isinstance(result, ProfileError):
                lines.append(f"Invalid profile: {result}")
                blocks.append("\n".join(lines))
                continue
            label = f"Class {result.device_class}"
            if result.special:
                label += " (" + ", ".join(SPECIAL_NAMES.get(s, s) for s in result.special) + ")"
            lines.append(label)
            lines.append("Rules that apply:")
            for hit in result.rules:
                lines.append(f"  - {hit.label}: class {hit.device_class}. {hit.reason}")
            for note in result.notes:
                lines.append(f"Note: {note}")
            lines.append(f"Decided by: {result.decided_by}")
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen
