from django.urls import path
from rest_framework.routers import SimpleRouter

from hotline.workorders import api

# SimpleRouter: a second API root at /api/ would shadow the customers' one.
router = SimpleRouter()
router.register("orders", api.WorkOrderViewSet, basename="workorder")
router.register("categories", api.CategoryViewSet, basename="category")

urlpatterns = [
    path("sla/preview", api.SlaPreviewView.as_view(), name="api-sla-preview"),
    *router.urls,
]
