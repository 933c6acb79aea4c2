from django.urls import path
from rest_framework.routers import DefaultRouter

from hotline.customers import api

router = DefaultRouter()
router.register("customers", api.CustomerViewSet, basename="customer")
router.register("lines", api.LineViewSet, basename="line")
router.register("products", api.ProductViewSet, basename="product")
router.register("regions", api.RegionViewSet, basename="region")
router.register("imports", api.ImportBatchViewSet, basename="importbatch")

urlpatterns = [path("me/", api.MeView.as_view(), name="api-me"), *router.urls]
