from django.urls import path

from friendlygov.signatures import views

app_name = "signatures"

UNIT = "don-vi/<slug:slug>/"

urlpatterns = [
    path("ky-so/chung-thu-goc/", views.trust_roots, name="trust_roots"),
    path("ky-so/chung-thu-goc/<int:pk>/go/", views.trust_root_remove, name="trust_root_remove"),
    path(UNIT + "ky-so/", views.unit_settings, name="unit_settings"),
    path(UNIT + "van-ban/<int:pk>/ky-so/", views.document_signing, name="document"),
    path(UNIT + "van-ban/<int:pk>/ky-so/ban-goc.pdf", views.original_pdf, name="original_pdf"),
    path(UNIT + "chu-ky-so/<int:pk>/tai-ve/", views.signed_file, name="signed_file"),
    path(UNIT + "chu-ky-so/<int:pk>/kiem-tra/", views.verify, name="verify"),
    path(UNIT + "trinh-ky/<int:pk>/ky-so/", views.request_signing, name="request"),
]
