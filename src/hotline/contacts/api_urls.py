from django.urls import path

from hotline.contacts import api

urlpatterns = [
    path("cti/events", api.CtiEventView.as_view(), name="api-cti-events"),
    path("cti/pop", api.ScreenPopView.as_view(), name="api-cti-pop"),
]
