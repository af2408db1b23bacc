from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from friendlygov.api import api
from friendlygov.core import views as core_views

urlpatterns = [
    path("", core_views.root, name="root"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("trang-chu/", core_views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("quen-mat-khau/", core_views.PasswordResetView.as_view(), name="password_reset"),
    path("quen-mat-khau/da-gui/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "dat-mat-khau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "dat-mat-khau/xong/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
    path("api/", api.urls),
    path("thong-bao/", include("friendlygov.notifications.urls")),
    path("minh-chung/", include("friendlygov.evidence.urls")),
    path("thanh-pho/<slug:slug>/", core_views.city_home, name="city_home"),
    path("don-vi/<slug:slug>/", core_views.unit_home, name="unit_home"),
    path("don-vi/", include("friendlygov.org.urls")),
    path("don-vi/", include("friendlygov.audit.urls")),
    path("", include("friendlygov.plans.urls")),
    path("", include("friendlygov.assessments.urls")),
    path("", include("friendlygov.surveys.urls")),
    path("", include("friendlygov.feedback.urls")),
    path("", include("friendlygov.dossiers.urls")),
    path("", include("friendlygov.operations.urls")),
    path("", include("friendlygov.documents.urls")),
    path("", include("friendlygov.signatures.urls")),
    path("", include("friendlygov.submissions.urls")),
    path("", include("friendlygov.public.urls")),
]
