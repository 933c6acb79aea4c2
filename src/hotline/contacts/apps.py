from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "hotline.contacts"
    label = "contacts"
    verbose_name = _("接触记录")

    def ready(self) -> None:
        from hotline.contacts import call_summary_days  # noqa: F401  (its signal receivers)
