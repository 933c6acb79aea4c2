"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

from hotline.core.text_words import load_dictionary

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
application = get_wsgi_application()
# Each worker loads it as it starts, before its first request.
load_dictionary()
