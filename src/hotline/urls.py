from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from hotline.reports import urls as call_report_urls
from hotline.workforce import urls as workforce_urls
from hotline.workorders import report_urls

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include("hotline.notifications.api_urls")),
    path("api/", include("hotline.customers.api_urls")),
    path("api/", include("hotline.workorders.api_urls")),
    path("api/", include("hotline.contacts.api_urls")),
    path("api/", include("hotline.workorders.report_urls")),
    path("api/", include("hotline.reports.urls")),
    path("admin/", admin.site.urls),
    path("", include(report_urls.web_urlpatterns)),
    path("", include(call_report_urls.web_urlpatterns)),
    path("", include(workforce_urls.web_urlpatterns)),
    path("", include("hotline.web.urls")),
]
