from django.contrib.admin.apps import AdminConfig


class MonenfantAdminConfig(AdminConfig):
    default_site = "monenfant.admin.AdministrationSite"
