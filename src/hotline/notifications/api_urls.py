from rest_framework.routers import SimpleRouter

from hotline.notifications import api

# SimpleRouter: a DefaultRouter would add a second API root at /api/, shadowing the customers'.
router = SimpleRouter()
router.register("notifications", api.NotificationViewSet, basename="notification")

urlpatterns = router.urls
