"""The Celery application; with no REDIS_URL tasks run eagerly in the caller."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
app = Celery("hotline")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
