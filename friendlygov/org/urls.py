from django.urls import path

from friendlygov.org import views

app_name = "org"
urlpatterns = [
    path("<slug:slug>/to-chuc/", views.unit_detail, name="unit_detail"),
    path("<slug:slug>/to-chuc/co-quan/moi/", views.body_edit, name="body_create"),
    path("<slug:slug>/to-chuc/co-quan/<int:pk>/", views.body_edit, name="body_edit"),
    path(
        "<slug:slug>/to-chuc/co-quan/<int:pk>/bo-ten-goi/", views.body_alias_remove, name="body_alias_remove"
    ),
    path("<slug:slug>/to-chuc/doi-ten/", views.unit_rename, name="unit_rename"),
    path("<slug:slug>/to-chuc/sap-nhap/", views.unit_merge, name="unit_merge"),
    path("<slug:slug>/to-chuc/nhap-don-vi/", views.import_units, name="import_units"),
    path("<slug:slug>/to-chuc/nhap-co-quan/", views.import_bodies, name="import_bodies"),
    path("<slug:slug>/to-chuc/nhap-tai-khoan/", views.import_accounts, name="import_accounts"),
    path(
        "<slug:slug>/to-chuc/nhap-tai-khoan/ket-qua/", views.import_accounts_done, name="import_accounts_done"
    ),
    path(
        "<slug:slug>/to-chuc/mau-nhap-don-vi.xlsx",
        views.import_template,
        {"kind": "units"},
        name="import_template_units",
    ),
    path(
        "<slug:slug>/to-chuc/mau-nhap-co-quan.xlsx",
        views.import_template,
        {"kind": "bodies"},
        name="import_template_bodies",
    ),
    path(
        "<slug:slug>/to-chuc/mau-nhap-tai-khoan.xlsx",
        views.import_template,
        {"kind": "accounts"},
        name="import_template_accounts",
    ),
    path("<slug:slug>/to-chuc/don-vi.xlsx", views.units_export, name="units_export"),
    path("ca-nhan/ma-api/", views.api_tokens, name="api_tokens"),
    path("danh-muc-hanh-chinh/nap/", views.load_official_units, name="load_official_units"),
    path("<slug:slug>/tai-khoan/", views.accounts, name="accounts"),
    path("<slug:slug>/tai-khoan/<int:user_id>/khoa/", views.account_deactivate, name="account_deactivate"),
    path("<slug:slug>/tai-khoan/<int:user_id>/moi/", views.account_invite, name="account_invite"),
    path(
        "<slug:slug>/tai-khoan/<int:user_id>/phien/", views.account_end_sessions, name="account_end_sessions"
    ),
]
