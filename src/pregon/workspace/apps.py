from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The buyer and supplier workspaces (pages)."""

    name = "pregon.workspace"
    verbose_name = _("Workspaces")
