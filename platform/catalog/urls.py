from django.urls import path

from . import portal, views

app_name = "catalog"

urlpatterns = [
    path("san-pham/", views.catalog_list, name="list"),
    path("san-pham/<slug:slug>/", views.product_detail, name="product"),
    path("nha-san-xuat/dang-ky/", views.apply, name="apply"),
    path("nha-san-xuat/<slug:slug>/", views.producer_detail, name="producer"),
    path("portal/nha-san-xuat/", portal.home, name="portal"),
    path(
        "portal/nha-san-xuat/dang-nhap/",
        portal.PortalLoginView.as_view(),
        name="portal_login",
    ),
    path("portal/nha-san-xuat/san-pham/moi/", portal.product_form, name="portal_new"),
    path(
        "portal/nha-san-xuat/san-pham/<int:pk>/",
        portal.product_form,
        name="portal_edit",
    ),
    path(
        "portal/nha-san-xuat/chung-nhan/moi/",
        portal.certificate_form,
        name="portal_certificate",
    ),
]
