from django.urls import path

from friendlygov.public import views

app_name = "public"
urlpatterns = [
    # One address per unit; a city's address lists its units.
    path("cong-khai/<slug:slug>/", views.page, name="unit"),
    path("cong-khai/<slug:slug>/", views.page, name="city"),
]
