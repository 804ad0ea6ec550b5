from django.contrib.admin.apps import AdminConfig


def _count_simulation(sender, **kwargs):
    from structures import usage
    from structures.enums import EvenementUsage

    usage.count(EvenementUsage.SIMULATION)


class MonenfantAdminConfig(AdminConfig):
    default_site = "backoffice.admin.AdministrationSite"

    def ready(self):
        # Every text field of every form, ours, the admin's and the libraries', refuses control
        # characters: set before the admin modules (and their forms) are imported below.
        from django import forms

        from monenfant.validators import NoControlCharacters

        forms.CharField.default_validators = [NoControlCharacters()]
        super().ready()
        from monenfant import logs

        logs.install()
        # The glue: the simulator stays alone, the usage counters (structures) hear of its results.
        from simulateur.signals import simulation_faite

        simulation_faite.connect(_count_simulation, dispatch_uid="monenfant.count_simulation")
        # And structures' pages name who answers online for a commune: linf's routing rule.
        from linf.selectors import linfs_serving
        from structures.selectors import plug_linfs_serving

        plug_linfs_serving(linfs_serving)
