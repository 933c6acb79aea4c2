"""WSGI entry point for gunicorn."""

import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from hotline.core.text_words import load_dictionary

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
application = get_wsgi_application()
# Each worker loads, as it starts, what its first requests would otherwise wait seconds for:
# the URLs with every view (the forecasts bring statsmodels and SciPy) and jieba's dictionary.
import_module(settings.ROOT_URLCONF)
load_dictionary()
