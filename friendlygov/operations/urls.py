from django.urls import path

from friendlygov.operations import views

app_name = "operations"

P = "don-vi/<slug:slug>/hoat-dong/"

urlpatterns = [
    path(P, views.unit_overview, name="unit_overview"),
    path(P + "ket-qua-nam/", views.yearly_results, name="yearly_results"),
    # communication
    path(P + "tuyen-truyen/", views.activities, name="activities"),
    path(P + "tuyen-truyen/xuat.xlsx", views.activities_export, name="activities_export"),
    path(P + "tuyen-truyen/theo-tieu-chi/", views.activity_criteria, name="activity_criteria"),
    path(P + "tuyen-truyen/moi/", views.activity_create, name="activity_create"),
    path(P + "tuyen-truyen/<int:pk>/", views.activity_detail, name="activity_detail"),
    path(P + "tuyen-truyen/<int:pk>/sua/", views.activity_edit, name="activity_edit"),
    # villages
    path(P + "thon/", views.villages, name="villages"),
    path(P + "thon/xuat.xlsx", views.villages_export, name="villages_export"),
    path(P + "thon/noi-dung/moi/", views.review_item_edit, name="review_item_create"),
    path(P + "thon/noi-dung/<int:pk>/sua/", views.review_item_edit, name="review_item_edit"),
    path(P + "thon/<int:village_id>/nam-<int:year>/", views.village_review, name="village_review"),
    path(P + "thon/ho-gia-dinh/", views.households, name="households"),
    path(P + "thon/ho-gia-dinh/xuat.xlsx", views.households_export, name="households_export"),
    path(P + "thon/ho-gia-dinh/nhap/", views.households_import, name="households_import"),
    # budget
    path(P + "kinh-phi/", views.budget, name="budget"),
    path(P + "kinh-phi/du-toan.xlsx", views.budget_export, name="budget_export"),
    path(P + "kinh-phi/dong/moi/", views.budget_line_edit, name="budget_line_create"),
    path(P + "kinh-phi/dong/<int:pk>/sua/", views.budget_line_edit, name="budget_line_edit"),
    path(P + "kinh-phi/chi/", views.spendings, name="spendings"),
    path(P + "kinh-phi/chi/xuat.xlsx", views.spendings_export, name="spendings_export"),
    path(P + "kinh-phi/chi/moi/", views.spending_edit, name="spending_create"),
    path(P + "kinh-phi/chi/<int:pk>/sua/", views.spending_edit, name="spending_edit"),
    # rewards and naming
    path(P + "khen-thuong/", views.rewards, name="rewards"),
    path(P + "khen-thuong/xuat.xlsx", views.rewards_export, name="rewards_export"),
    path(P + "khen-thuong/de-nghi/moi/", views.nomination_edit, name="nomination_create"),
    path(P + "khen-thuong/de-nghi/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path(P + "khen-thuong/de-nghi/<int:pk>/sua/", views.nomination_edit, name="nomination_edit"),
    path(P + "khen-thuong/hoi-dong/moi/", views.meeting_create, name="meeting_create"),
    path(P + "khen-thuong/hoi-dong/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path(P + "khen-thuong/quyet-dinh/moi/", views.decision_create, name="decision_create"),
    path(P + "dien-hinh/", views.good_practices, name="good_practices"),
    path(P + "dien-hinh/xuat.xlsx", views.good_practices_export, name="good_practices_export"),
    path(P + "dien-hinh/moi/", views.good_practice_edit, name="good_practice_create"),
    path(P + "dien-hinh/<int:pk>/sua/", views.good_practice_edit, name="good_practice_edit"),
    path(P + "dien-hinh/<int:pk>/cong-khai/", views.good_practice_publish, name="good_practice_publish"),
    path(P + "chua-nghiem-tuc/", views.shortfalls, name="shortfalls"),
    path(P + "chua-nghiem-tuc/xuat.xlsx", views.shortfalls_export, name="shortfalls_export"),
    path(P + "chua-nghiem-tuc/moi/", views.shortfall_edit, name="shortfall_create"),
    path(P + "chua-nghiem-tuc/<int:pk>/sua/", views.shortfall_edit, name="shortfall_edit"),
    # reviews
    path(P + "so-ket-tong-ket/", views.reviews, name="reviews"),
    path(P + "so-ket-tong-ket/xuat.xlsx", views.reviews_export, name="reviews_export"),
    path(P + "so-ket-tong-ket/mo/", views.review_open, name="review_open"),
    path(P + "so-ket-tong-ket/<int:pk>/", views.review_detail, name="review_detail"),
    path(P + "so-ket-tong-ket/<int:pk>/xuat.xlsx", views.review_export, name="review_export"),
    path(P + "so-ket-tong-ket/<int:pk>/muc/<int:section_id>/", views.section_edit, name="section_edit"),
    path(P + "so-ket-tong-ket/<int:pk>/them-muc/", views.section_add, name="section_add"),
    path(P + "so-ket-tong-ket/<int:pk>/hoan-thanh/", views.review_complete, name="review_complete"),
    path(P + "so-ket-tong-ket/<int:pk>/mo-lai/", views.review_reopen, name="review_reopen"),
    # conferences and signing
    path(P + "hoi-nghi/", views.conferences, name="conferences"),
    path(P + "hoi-nghi/xuat.xlsx", views.conferences_export, name="conferences_export"),
    path(P + "hoi-nghi/moi/", views.conference_edit, name="conference_create"),
    path(P + "hoi-nghi/<int:pk>/sua/", views.conference_edit, name="conference_edit"),
    path(P + "trinh-ky/", views.signatures, name="signatures"),
    path(P + "trinh-ky/xuat.xlsx", views.signatures_export, name="signatures_export"),
    path(P + "trinh-ky/moi/", views.signature_edit, name="signature_create"),
    path(P + "trinh-ky/<int:pk>/", views.signature_detail, name="signature_detail"),
    path(P + "trinh-ky/<int:pk>/sua/", views.signature_edit, name="signature_edit"),
]
