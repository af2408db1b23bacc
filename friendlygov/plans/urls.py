from django.urls import path

from friendlygov.plans import obstacle_views, views

app_name = "plans"

P = "don-vi/<slug:slug>/ke-hoach/"

urlpatterns = [
    path(P, views.unit_plans, name="unit_plans"),
    path(P + "moi/", views.plan_create, name="plan_create"),
    path(P + "<int:pk>/", views.plan_detail, name="plan_detail"),
    path(P + "<int:pk>/sua/", views.plan_edit, name="plan_edit"),
    path(P + "<int:pk>/sua-doi/", views.plan_revise, name="plan_revise"),
    path(P + "<int:pk>/nhap-phu-luc/", views.appendix_import, name="appendix_import"),
    path(P + "<int:pk>/nhap-phu-luc/xem-truoc/", views.appendix_preview, name="appendix_preview"),
    path(P + "<int:pk>/nhap-phu-luc/xac-nhan/", views.appendix_confirm, name="appendix_confirm"),
    path(P + "<int:pk>/tinh-lai-han/", views.plan_regenerate, name="plan_regenerate"),
    path(P + "<int:pk>/lich/", views.plan_calendar, name="plan_calendar"),
    path(P + "<int:pk>/lo-trinh/", views.plan_timeline, name="plan_timeline"),
    path(P + "<int:pk>/nhiem-vu.xlsx", views.plan_export, name="plan_export"),
    path(P + "nhiem-vu/<int:pk>/", views.task_detail, name="task_detail"),
    path(P + "nhiem-vu/<int:pk>/sua/", views.task_edit, name="task_edit"),
    path(P + "nhiem-vu/<int:pk>/su-kien/", views.task_binding, name="task_binding"),
    path(P + "viec/<int:pk>/", views.occurrence_detail, name="occurrence_detail"),
    *[
        path(P + "viec/<int:pk>/" + a.path, views.occurrence_action_view(a), name=f"occurrence_{a.name}")
        for a in views.OCCURRENCE_ACTIONS.values()
    ],
    path(P + "den-han/", views.due_list, name="due_list"),
    path(P + "viec-cua-toi/", views.my_work, name="my_work"),
    path(P + "vuong-mac/", obstacle_views.obstacles, name="obstacles"),
    path(P + "vuong-mac/bao-cao/", obstacle_views.obstacle_report, name="obstacle_report"),
    path(P + "vuong-mac/tong-hop/", obstacle_views.obstacle_forward, name="obstacle_forward"),
    path(P + "vuong-mac/<int:pk>/", obstacle_views.obstacle_detail, name="obstacle_detail"),
    path(P + "vuong-mac/<int:pk>/tra-loi/", obstacle_views.obstacle_answer, name="obstacle_answer"),
    path(P + "vuong-mac/<int:pk>/dong/", obstacle_views.obstacle_close, name="obstacle_close"),
]
