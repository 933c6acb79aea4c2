from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "hotline.reports"
    label = "reports"
    verbose_name = _("话务报表")

    def ready(self) -> None:
        # The KPI settings fail at start-up, not on the first report.
        from hotline.core.contact_kpis import chosen_variants
        from hotline.reports.call_reports import kpi_settings, kpi_targets

        try:
            chosen_variants(kpi_settings())
            kpi_targets()
        except ValueError as error:
            raise ImproperlyConfigured(f"KPI settings: {error}") from None
