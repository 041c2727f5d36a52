"""Test settings: the real settings, a throwaway data dir, fast password hashing."""

import os
import tempfile

os.environ.setdefault("SAMSVAR_MODE", "test")
os.environ.setdefault("SAMSVAR_DATA_DIR", tempfile.mkdtemp(prefix="samsvar-test-"))
if os.environ.get("SAMSVAR_TEST_DATABASE_URL"):
    os.environ["SAMSVAR_DATABASE_URL"] = os.environ["SAMSVAR_TEST_DATABASE_URL"]

from samsvar.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
