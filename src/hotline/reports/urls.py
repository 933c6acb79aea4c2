"""Call reports: `urlpatterns` go under /api/, `web_urlpatterns` at the site root."""

from django.urls import path

from hotline.reports import api, views

urlpatterns = [
    path("reports/calls", api.CallReportView.as_view(), name="api-call-report"),
    path(
        "reports/calls/records",
        api.CallReportRecordsView.as_view(),
        name="api-call-report-records",
    ),
]

web_urlpatterns = [
    path("reports/calls/", views.call_report_page, name="call-report"),
    path("reports/calls/records/", views.records_page, name="call-report-records"),
    path(
        "reports/calls/export.<str:file_format>",
        views.call_report_download,
        name="call-report-download",
    ),
]
web_urlpatterns += [
    path("wallboard/", views.wallboard_index, name="wallboard"),
    path("wallboard/<str:code>/", views.wallboard_page, name="wallboard-group"),
]
