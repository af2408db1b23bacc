from django.urls import path

from friendlygov.documents import views

app_name = "documents"

UNIT = "don-vi/<slug:slug>/van-ban/"
CITY = "thanh-pho/<slug:slug>/van-ban/"

urlpatterns = [
    path(UNIT, views.unit_documents, name="unit_documents"),
    path(UNIT + "du-thao/", views.unit_documents_draft, name="unit_documents_draft"),
    path(UNIT + "ban-hanh/", views.unit_documents_issue, name="unit_documents_issue"),
    path(UNIT + "<int:pk>/tai-ve/", views.issued_file, name="issued_file"),
    path(UNIT + "<int:pk>/pdf/", views.issued_pdf, name="issued_pdf"),
    path(UNIT + "bang-cham-diem-<int:year>.xlsx", views.scoring_xlsx, name="scoring_xlsx"),
    path(UNIT + "so-lieu-hai-long-phan-anh.xlsx", views.figures_xlsx, name="figures_xlsx"),
    path(CITY, views.city_documents, name="city_documents"),
    path(CITY + "du-thao/", views.city_documents_draft, name="city_documents_draft"),
    path(CITY + "ban-hanh/", views.city_documents_issue, name="city_documents_issue"),
    path("van-ban/mau/", views.templates, name="templates"),
    path("van-ban/mau/<int:pk>/dung/", views.template_activate, name="template_activate"),
    path("van-ban/mau/<int:pk>/tai-ve/", views.template_file, name="template_file"),
]
