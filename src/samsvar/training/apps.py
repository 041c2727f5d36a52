from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "samsvar.training"
    label = "training"
    verbose_name = _("Competence and training")

    def ready(self):
        from samsvar.training import receivers

        receivers.connect()
