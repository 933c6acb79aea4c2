from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "hotline.web"
    label = "web"
    verbose_name = _("界面")

    def ready(self) -> None:
        # Binds shared tasks to Hotline's Celery configuration (eager without a broker).
        from hotline import celery  # noqa: F401
