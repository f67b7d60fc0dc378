from django.apps import AppConfig


class OrgunitsConfig(AppConfig):
    name = "dieuhanh.orgunits"
