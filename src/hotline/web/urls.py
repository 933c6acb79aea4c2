from django.contrib.auth import views as auth_views
from django.urls import path

from hotline.web import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("customers/", views.customer_search, name="customer-search"),
    path("customers/<int:pk>/", views.customer_detail, name="customer-detail"),
    path("customers/import/", views.customer_import, name="customer-import"),
    path("customers/import/<int:pk>/", views.import_batch_detail, name="import-batch"),
]
