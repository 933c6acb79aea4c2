from django.contrib.auth import views as auth_views
from django.urls import path

from hotline.web import desk_views, inbox_views, order_views, views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("customers/", views.customer_search, name="customer-search"),
    path("customers/new/", views.customer_create, name="customer-create"),
    path("customers/<int:pk>/", views.customer_detail, name="customer-detail"),
    path("customers/import/", views.customer_import, name="customer-import"),
    path("customers/import/<int:pk>/", views.import_batch_detail, name="import-batch"),
    path("customers/<int:pk>/contacts/", views.customer_contacts, name="customer-contacts"),
    path("customers/<int:pk>/orders/", order_views.customer_orders, name="customer-orders"),
    path("customers/<int:pk>/orders/new/", order_views.order_new, name="order-new"),
    path("orders/", order_views.order_list, name="order-list"),
    path("orders/<int:pk>/", order_views.order_detail, name="order-detail"),
    path("orders/<int:pk>/<slug:step>/", order_views.order_step, name="order-step"),
    path("desk/pop", desk_views.desk_pop, name="desk-pop"),
    path("inbox/", inbox_views.inbox, name="inbox"),
    path("inbox/read-all/", inbox_views.inbox_read_all, name="inbox-read-all"),
    path("inbox/<int:pk>/", inbox_views.inbox_open, name="inbox-open"),
]
