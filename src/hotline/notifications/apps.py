from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "hotline.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        # Registers the built-in channels and SMS backend, and the check of the settings.
        from hotline.notifications import checks  # noqa: F401
