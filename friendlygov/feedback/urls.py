from django.urls import path

from friendlygov.feedback import public, views

app_name = "feedback"
urlpatterns = [
    # Public (no login)
    path("phan-anh/tra-cuu/", public.track, name="public_track"),
    path("phan-anh/tra-cuu/<str:code>/danh-gia/", public.rate, name="public_rate"),
    path("phan-anh/tra-cuu/<str:code>/mo-lai/", public.reopen, name="public_reopen"),
    path("phan-anh/<slug:slug>/", public.published, name="public_published"),
    path("phan-anh/<slug:slug>/gui/", public.submit, name="public_submit"),
    path("phan-anh/<slug:slug>/da-gui/", public.thanks, name="public_thanks"),
    # Staff
    path("don-vi/<slug:slug>/phan-anh/", views.unit_list, name="unit_list"),
    path("don-vi/<slug:slug>/phan-anh/phan-anh.xlsx", views.export, name="export"),
    path("don-vi/<slug:slug>/phan-anh/nhap/", views.record, name="record"),
    path("don-vi/<slug:slug>/phan-anh/cai-dat/", views.settings_page, name="settings"),
    path("don-vi/<slug:slug>/phan-anh/cai-dat/trang-thai/moi/", views.state_edit, name="state_create"),
    path("don-vi/<slug:slug>/phan-anh/cai-dat/trang-thai/<int:pk>/", views.state_edit, name="state_edit"),
    path("don-vi/<slug:slug>/phan-anh/du-lieu-ca-nhan/", views.contact_request, name="contact_request"),
    path("don-vi/<slug:slug>/phan-anh/<int:pk>/", views.detail, name="detail"),
    path("don-vi/<slug:slug>/phan-anh/<int:pk>/phan-loai/", views.assign, name="assign"),
    path("don-vi/<slug:slug>/phan-anh/<int:pk>/chuyen-trang-thai/", views.transition, name="transition"),
    path("don-vi/<slug:slug>/phan-anh/<int:pk>/tra-loi/", views.answer, name="answer"),
    path("don-vi/<slug:slug>/phan-anh/<int:pk>/cong-khai/", views.publish, name="publish"),
    path("don-vi/<slug:slug>/phan-anh/<int:pk>/duyet/", views.approve, name="approve"),
    path("don-vi/<slug:slug>/phan-anh/<int:pk>/tra-lai/", views.return_answer, name="return_answer"),
    path("don-vi/<slug:slug>/phan-anh/cho-duyet/", views.approvals, name="approvals"),
    path("don-vi/<slug:slug>/phan-anh/<int:pk>/lien-he/", views.contact, name="contact"),
]
