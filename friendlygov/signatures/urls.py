from django.urls import path

from friendlygov.signatures import views

app_name = "signatures"

UNIT = "don-vi/<slug:slug>/"

urlpatterns = [
    path("ky-so/chung-thu-goc/", views.trust_roots, name="trust_roots"),
    path("ky-so/chung-thu-goc/<int:pk>/go/", views.trust_root_remove, name="trust_root_remove"),
    path(UNIT + "ky-so/", views.unit_settings, name="unit_settings"),
    path(UNIT + "ky-so/cach-ky/", views.unit_methods, name="unit_methods"),
    path(UNIT + "ky-so/chung-thu/", views.unit_certificate, name="unit_certificate"),
    path(UNIT + "ky-so/con-dau/", views.unit_seal, name="unit_seal"),
    path(UNIT + "van-ban/<int:pk>/ky-so/", views.document_signing, name="document"),
    path(UNIT + "van-ban/<int:pk>/ky-so/ky/", views.document_sign, name="document_sign"),
    path(UNIT + "van-ban/<int:pk>/ky-so/tai-len/", views.document_upload, name="document_upload"),
    path(UNIT + "van-ban/<int:pk>/ky-so/chu-ky-cua-toi/", views.my_signature, name="my_signature"),
    path(UNIT + "van-ban/<int:pk>/ky-so/ban-goc.pdf", views.original_pdf, name="original_pdf"),
    path(UNIT + "chu-ky-so/<int:pk>/tai-ve/", views.signed_file, name="signed_file"),
    path(UNIT + "chu-ky-so/<int:pk>/kiem-tra/", views.verify, name="verify"),
    path(UNIT + "trinh-ky/<int:pk>/ky-so/", views.request_signing, name="request"),
    path(UNIT + "trinh-ky/<int:pk>/ky-so/ky/", views.request_sign, name="request_sign"),
    path(UNIT + "trinh-ky/<int:pk>/ky-so/tai-len/", views.request_upload, name="request_upload"),
]
