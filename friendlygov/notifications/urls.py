from django.urls import path

from friendlygov.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("doc-het/", views.mark_all_read, name="mark_all_read"),
]
