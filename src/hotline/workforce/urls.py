"""The workforce pages, at the site root."""

from django.urls import path

from hotline.workforce import views

web_urlpatterns = [
    path("workforce/", views.plan_page, name="workforce-plan"),
    path("workforce/forecast/", views.forecast_action, name="workforce-forecast"),
    path("workforce/schedules/", views.schedule_action, name="workforce-build"),
    path("workforce/schedules/<int:pk>/", views.schedule_page, name="workforce-schedule"),
    path("workforce/schedules/<int:pk>/publish/", views.publish_action, name="workforce-publish"),
    path("workforce/adherence/", views.adherence_page, name="workforce-adherence"),
    path("workforce/intraday/", views.intraday_page, name="workforce-intraday"),
    path("my-shifts/", views.my_shifts_page, name="my-shifts"),
]
