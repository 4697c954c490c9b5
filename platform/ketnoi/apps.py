from django.apps import AppConfig


class KetnoiConfig(AppConfig):
    name = "ketnoi"
    verbose_name = "Kết Nối"
