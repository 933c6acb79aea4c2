from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "hotline.workforce"
    label = "workforce"
    verbose_name = _("话务预测与排班")
