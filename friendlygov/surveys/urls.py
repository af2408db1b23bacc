from django.urls import path

from friendlygov.surveys import views

app_name = "surveys"
urlpatterns = [
    # Public (no account): the page a QR poster leads to.
    path("ks/<str:token>/", views.public_form, name="public_form"),
    path("ks/<str:token>/cam-on/", views.public_thanks, name="public_thanks"),
    # Per unit.
    path("don-vi/<slug:slug>/khao-sat/", views.unit_figures, name="unit_figures"),
    path("don-vi/<slug:slug>/khao-sat/bao-cao.xlsx", views.figures_export, name="figures_export"),
    path("don-vi/<slug:slug>/khao-sat/so-ho-so/", views.dossier_count, name="dossier_count"),
    path("don-vi/<slug:slug>/khao-sat/bang-hoi/", views.library, name="library"),
    path(
        "don-vi/<slug:slug>/khao-sat/bang-hoi/nhap/", views.questionnaire_import, name="questionnaire_import"
    ),
    path(
        "don-vi/<slug:slug>/khao-sat/bang-hoi/<int:pk>/",
        views.questionnaire_detail,
        name="questionnaire_detail",
    ),
    path(
        "don-vi/<slug:slug>/khao-sat/bang-hoi/<int:pk>/sua/",
        views.questionnaire_edit,
        name="questionnaire_edit",
    ),
    path(
        "don-vi/<slug:slug>/khao-sat/bang-hoi/<int:pk>/sua/noi-dung/",
        views.questionnaire_save,
        name="questionnaire_save",
    ),
    path(
        "don-vi/<slug:slug>/khao-sat/bang-hoi/<int:pk>/sua/thong-tin/",
        views.questionnaire_settings,
        name="questionnaire_settings",
    ),
    path(
        "don-vi/<slug:slug>/khao-sat/bang-hoi/<int:pk>/sao-chep/",
        views.questionnaire_copy,
        name="questionnaire_copy",
    ),
    path(
        "don-vi/<slug:slug>/khao-sat/bang-hoi/<int:pk>/v<int:number>.yaml",
        views.questionnaire_yaml,
        name="questionnaire_yaml",
    ),
    path("don-vi/<slug:slug>/khao-sat/diem-khao-sat/", views.links, name="links"),
    path("don-vi/<slug:slug>/khao-sat/diem-khao-sat/<int:pk>/", views.link_edit, name="link_edit"),
    path(
        "don-vi/<slug:slug>/khao-sat/diem-khao-sat/<int:pk>/ap-phich/", views.link_poster, name="link_poster"
    ),
    path("don-vi/<slug:slug>/khao-sat/diem-khao-sat/<int:pk>/qr.<str:kind>", views.link_qr, name="link_qr"),
    path("don-vi/<slug:slug>/khao-sat/nhap-phieu/", views.paper_entry, name="paper_entry"),
    path("don-vi/<slug:slug>/khao-sat/can-xem-xet/", views.review_queue, name="review_queue"),
    path("don-vi/<slug:slug>/khao-sat/phieu/<int:pk>/xem-xet/", views.review, name="review"),
    # City reviewers.
    path("thanh-pho/<slug:slug>/khao-sat/", views.city_comparison, name="city_comparison"),
]
