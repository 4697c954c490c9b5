from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("live/<slug:code>/", views.stream_link, name="stream_link"),
    path("live/<slug:code>/nhac-toi/", views.subscribe, name="subscribe"),
    path(
        "nha-san-xuat/hoi-cho/<int:fair_id>/dang-ky/",
        views.apply_for_booth,
        name="apply_for_booth",
    ),
]
