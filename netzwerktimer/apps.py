from django.apps import AppConfig


class NetzwerktimerConfig(AppConfig):
    name = "netzwerktimer"
    verbose_name = "Netzwerk-Timer"

    def ready(self):
        from netzwerktimer import checks  # noqa: F401 (registers the deploy checks)
