from django.urls import path

from friendlygov.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("don-vi/<slug:slug>/ho-so/", views.unit_figures, name="unit_figures"),
    path("don-vi/<slug:slug>/ho-so/nhap/", views.import_page, name="import"),
    path("don-vi/<slug:slug>/ho-so/cai-dat/", views.settings_page, name="settings"),
    path("don-vi/<slug:slug>/ho-so/mau-nhap.csv", views.template_csv, name="template_csv"),
    path("thanh-pho/<slug:slug>/ho-so/", views.city_comparison, name="city_comparison"),
    path("thanh-pho/<slug:slug>/ho-so/so-sanh.xlsx", views.city_export, name="city_export"),
]
