from django.urls import path

from friendlygov.submissions import views

app_name = "submissions"

urlpatterns = [
    path("don-vi/<slug:slug>/ho-so-dien-tu/", views.unit_packages, name="unit_packages"),
    path("thanh-pho/<slug:slug>/ho-so-dien-tu/", views.city_packages, name="city_packages"),
    path("ho-so-dien-tu/<int:pk>/", views.package, name="package"),
    path("ho-so-dien-tu/<int:pk>/tai-ve/", views.package_file, name="package_file"),
]
