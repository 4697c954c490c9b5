from django.urls import path

from . import producer_portal, views

app_name = "orders"

urlpatterns = [
    path("dat-hang/", views.round_list, name="rounds"),
    path("dat-hang/dang-nhap/", views.MemberLoginView.as_view(), name="login"),
    path("dat-hang/<int:round_id>/", views.round_detail, name="round"),
    path("dat-hang/<int:round_id>/xac-nhan/", views.confirm, name="confirm"),
    path("don-hang/<str:reference>/", views.order_detail, name="order"),
    path("don-hang/<str:reference>/sua/", views.order_change, name="order-change"),
    path("don-hang/<str:reference>/huy/", views.order_cancel, name="order-cancel"),
    path("portal/dieu-phoi/don-hang/", views.portal_home, name="portal"),
    path(
        "portal/nha-san-xuat/don-dat-hang/",
        producer_portal.purchase_orders,
        name="producer-orders",
    ),
    path(
        "portal/nha-san-xuat/don-dat-hang/<int:po_id>/",
        producer_portal.purchase_order,
        name="producer-order",
    ),
    path(
        "portal/dieu-phoi/don-hang/<int:round_id>/<int:point_id>/",
        views.portal_orders,
        name="portal-orders",
    ),
    path(
        "portal/dieu-phoi/don-hang/<int:round_id>/<int:point_id>/dat-ho/",
        views.portal_on_behalf,
        name="portal-on-behalf",
    ),
    path(
        "portal/dieu-phoi/don-hang/<int:round_id>/<int:point_id>/phieu/",
        views.portal_manifest,
        name="portal-manifest",
    ),
    path(
        "portal/dieu-phoi/don-hang/<int:round_id>/<int:point_id>/phieu.xlsx",
        views.portal_manifest,
        {"export": "xlsx"},
        name="portal-manifest-xlsx",
    ),
    path(
        "portal/dieu-phoi/don-hang/don/<str:reference>/<str:action>/",
        views.portal_action,
        name="portal-action",
    ),
]
