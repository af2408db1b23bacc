from django.urls import path

from friendlygov.assessments import dashboard_views, views
from friendlygov.assessments.views.cycles import CYCLE_ACTIONS, cycle_action_view
from friendlygov.assessments.views.scoring import ACTIONS, action_view

app_name = "assessments"

UNIT = "don-vi/<slug:slug>/danh-gia/"
CYCLE = UNIT + "<int:year>/"
CITY = "thanh-pho/<slug:slug>/danh-gia/"

urlpatterns = [
    path(UNIT, views.unit_cycles, name="unit_cycles"),
    path(CYCLE, views.cycle_detail, name="cycle_detail"),
    *[path(CYCLE + a.path, cycle_action_view(a), name=f"cycle_{a.name}") for a in CYCLE_ACTIONS.values()],
    path(CYCLE + "phan-cong/", views.assignments, name="assignments"),
    path(CYCLE + "tieu-chi/<str:code>/", views.criterion_detail, name="criterion_detail"),
    *[
        path(CYCLE + "tieu-chi/<str:code>/" + a.path, action_view(a), name=f"criterion_{a.name}")
        for a in ACTIONS.values()
    ],
    path(CYCLE + "nop/", views.submit, name="submit"),
    path(CYCLE + "cham-phoi-hop/", views.joint_sheet, name="joint_sheet"),
    path(CYCLE + "cong-nhan/", views.recognise, name="recognise"),
    path(CYCLE + "cong-nhan/tep/", views.recognition_file, name="recognition_file"),
    path(CYCLE + "thoi-han/", views.deadlines, name="deadlines"),
    path(CYCLE + "bo-tieu-chi/", views.switch_criteria_set, name="switch_criteria_set"),
    path(CYCLE + "phan-tich/", views.gap, name="gap"),
    path(CYCLE + "bang-diem.xlsx", views.cycle_export, name="cycle_export"),
    path(CITY, views.city_overview, name="city_overview"),
    path(CITY + "mo-ky/", views.open_cycles, name="open_cycles"),
    path(CITY + "bo-tieu-chi/", views.library, name="library"),
    path(CITY + "bo-tieu-chi/<int:pk>/", views.criteria_set_detail, name="criteria_set_detail"),
    path(CITY + "bo-tieu-chi/<int:pk>/sua/", views.criteria_set_edit, name="criteria_set_edit"),
    path(CITY + "bo-tieu-chi/<int:pk>.yaml", views.criteria_set_yaml, name="criteria_set_yaml"),
    path(CITY + "bo-tieu-chi/<int:pk>.xlsx", views.criteria_set_xlsx, name="criteria_set_xlsx"),
    path(CITY + "so-lieu/", views.figures, name="figures"),
    path(CITY + "so-lieu/luu/", views.figures_save, name="figures_save"),
    path(CITY + "so-lieu/nhap/", views.figures_import, name="figures_import"),
    path("thanh-pho/<slug:slug>/toan-canh/", dashboard_views.city_dashboard_page, name="city_dashboard"),
]
