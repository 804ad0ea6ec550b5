from django.contrib.admin.apps import AdminConfig


def _count_simulation(sender, **kwargs):
    from structures import usage
    from structures.enums import EvenementUsage

    usage.count(EvenementUsage.SIMULATION)


class MonenfantAdminConfig(AdminConfig):
    default_site = "monenfant.admin.AdministrationSite"

    def ready(self):
        super().ready()
        # The glue: the simulator stays alone, the usage counters (structures) hear of its results.
        from simulateur.signals import simulation_faite

        simulation_faite.connect(_count_simulation, dispatch_uid="monenfant.count_simulation")
