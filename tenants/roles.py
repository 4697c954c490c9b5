"""The groups every province starts with, and what they may do in the admin."""

from django.utils.translation import gettext_lazy as _

PROVINCE_ADMINS = "Quản trị tỉnh"
STAFF = "Cán bộ Hội"
COORDINATORS = "Điều phối viên"
PRODUCERS = "Nhà sản xuất"

GROUP_LABELS = {
    PROVINCE_ADMINS: _("Province administrators"),
    STAFF: _("Union staff"),
    COORDINATORS: _("Coordinators"),
    PRODUCERS: _("Producers"),
}

# Groups whose members may open the Wagtail admin.
ADMIN_GROUPS = (PROVINCE_ADMINS, STAFF)
