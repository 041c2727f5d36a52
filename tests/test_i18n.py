"""The Norwegian Bokmål catalogue: complete, well-formed, compiled, and current with the source."""

import gettext
import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import polib
import pytest

import samsvar

PACKAGE_DIR = Path(samsvar.__file__).resolve().parent
LC_MESSAGES = PACKAGE_DIR / "locale" / "nb" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

# %(name)s, %s, %d, %%, and str.format fields such as {name} or {0}.
PLACEHOLDER = re.compile(r"%\([^)]+\)[a-zA-Z]|%[a-zA-Z%]|\{[A-Za-z0-9_]*\}")


def placeholders(text):
    return Counter(PLACEHOLDER.findall(text))


def entries(po):
    return [e for e in po if not e.obsolete]


def untranslated_or_fuzzy(po):
    """Msgids of entries lacking a translation in any form, or flagged fuzzy."""
    bad = []
    for entry in entries(po):
        if entry.msgid_plural:
            forms = [
                entry.msgstr_plural.get(i, "") for i in range(max(2, len(entry.msgstr_plural)))
            ]
            missing = not all(forms)
        else:
            missing = not entry.msgstr
        if missing or "fuzzy" in entry.flags:
            bad.append(entry.msgid)
    return bad


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(PO_PATH))


def test_catalogue_has_norwegian_metadata(catalogue):
    assert catalogue.metadata.get("Language") == "nb"
    assert "charset=UTF-8" in catalogue.metadata.get("Content-Type", "")
    assert "nplurals=2" in catalogue.metadata.get("Plural-Forms", "")
    assert not catalogue.metadata_is_fuzzy
    assert len(entries(catalogue)) > 0


def test_every_entry_is_translated_and_not_fuzzy(catalogue):
    bad = untranslated_or_fuzzy(catalogue)
    assert not bad, "missing Norwegian translations: " + "; ".join(map(repr, bad))


def test_placeholders_match(catalogue):
    problems = []
    for entry in entries(catalogue):
        if entry.msgid_plural:
            allowed = placeholders(entry.msgid) | placeholders(entry.msgid_plural)
            expected_other = placeholders(entry.msgid_plural)
            for index, text in sorted(entry.msgstr_plural.items()):
                found = placeholders(text)
                # Singular forms may drop the count ("én post"), but never invent a placeholder.
                ok = found == expected_other if index > 0 else not (found - allowed)
                if not ok:
                    problems.append(
                        f"{entry.msgid!r} [{index}]: {dict(found)} vs {dict(expected_other)}"
                    )
        else:
            expected, found = placeholders(entry.msgid), placeholders(entry.msgstr)
            if expected != found:
                problems.append(f"{entry.msgid!r}: {dict(found)} vs {dict(expected)}")
    assert not problems, "placeholders differ between msgid and msgstr:\n" + "\n".join(problems)


def test_compiled_catalogue_is_up_to_date(catalogue):
    assert MO_PATH.exists(), f"{MO_PATH} is missing; run `samsvar compilemessages -l nb`"
    with MO_PATH.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = []
    for entry in entries(catalogue):
        if entry.msgid_plural:
            pairs = [
                (
                    compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                    if entry.msgctxt
                    else compiled.ngettext(entry.msgid, entry.msgid_plural, n),
                    entry.msgstr_plural.get(index, ""),
                )
                for index, n in ((0, 1), (1, 2))
            ]
        else:
            got = (
                compiled.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt
                else compiled.gettext(entry.msgid)
            )
            pairs = [(got, entry.msgstr)]
        if any(got != want for got, want in pairs):
            stale.append(entry.msgid)
    assert not stale, (
        "django.mo is out of date with django.po (run `samsvar compilemessages -l nb`): "
        + "; ".join(map(repr, stale))
    )


def _require_gettext_tools():
    missing = [tool for tool in ("xgettext", "msgmerge", "msguniq") if shutil.which(tool) is None]
    if missing:
        reason = f"GNU gettext tools not on PATH ({', '.join(missing)}); cannot extract messages"
        if os.environ.get("SAMSVAR_REQUIRE_GETTEXT"):
            pytest.fail(reason)
        pytest.skip(reason)


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_catalogue_covers_every_string_in_the_source(tmp_path):
    """A fresh `makemessages` on a copy of the source finds nothing left to translate."""
    _require_gettext_tools()
    real_digest = _digest(PO_PATH)

    root = tmp_path / "src"
    copy = root / "samsvar"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "SAMSVAR_DATABASE_URL", "PYTHONPATH"}
    }
    env.update(
        PYTHONPATH=str(root),
        DJANGO_SETTINGS_MODULE="samsvar.settings",
        SAMSVAR_MODE="dev",
        SAMSVAR_DATA_DIR=str(tmp_path / "data"),
    )

    # The copy, not the real tree, must be the package that gets imported.
    where = subprocess.run(
        [sys.executable, "-c", "import samsvar, sys; sys.stdout.write(samsvar.__file__)"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout).resolve().is_relative_to(root.resolve()), where.stdout

    makemessages = ["makemessages", "-l", "nb", "--no-location", "--no-obsolete"]
    result = subprocess.run(
        [sys.executable, "-m", "samsvar", *makemessages],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"
    assert _digest(PO_PATH) == real_digest, "the test modified the real django.po"

    fresh = polib.pofile(str(copy / "locale" / "nb" / "LC_MESSAGES" / "django.po"))
    assert len(entries(fresh)) > 0
    bad = untranslated_or_fuzzy(fresh)
    assert not bad, (
        f"missing Norwegian translations: {'; '.join(map(repr, bad))} "
        "(run `samsvar makemessages -l nb --no-location --no-obsolete` in src/samsvar, "
        "translate, then `samsvar compilemessages -l nb`)"
    )


@pytest.mark.django_db
def test_login_page_renders_in_norwegian(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="nb")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Logg inn i samsvar" in body
    assert "Log in to samsvar" not in body
    assert response.headers.get("Content-Language") == "nb"
