from django.urls import path

from friendlygov.audit import views

app_name = "audit"
urlpatterns = [path("<slug:slug>/nhat-ky/", views.unit_history_view, name="unit_history")]
