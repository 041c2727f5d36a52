"""WSGI entry point for gunicorn: `gunicorn samsvar.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samsvar.settings")
application = get_wsgi_application()
