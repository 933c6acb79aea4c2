"""The work-order report: `urlpatterns` go under /api/, `web_urlpatterns` at the site root."""

from django.urls import path

from hotline.workorders import report_api, report_views

urlpatterns = [
    path("reports/orders", report_api.OrderReportView.as_view(), name="api-order-report"),
]

web_urlpatterns = [
    path("reports/orders/", report_views.order_report_page, name="order-report"),
]
