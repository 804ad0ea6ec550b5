from django.contrib.admin.apps import AdminConfig


def _count_simulation(sender, **kwargs):
    from compteurs import usage
    from simulateur.enums import EvenementUsage

    usage.count(EvenementUsage.SIMULATION)


def _register_usage_events():
    """Each app names its events; the usage page shows them in this order (territorial ones: a CAF
    reads them for its territory, the others are national)."""
    from compteurs import evenements
    from demandes.enums import EvenementUsage as EvenementsDemandes
    from familles.enums import EvenementUsage as EvenementsFamilles
    from guide.enums import EvenementUsage as EvenementsGuide
    from simulateur.enums import EvenementUsage as EvenementsSimulateur
    from structures.enums import EvenementUsage as EvenementsStructures

    evenements.inscrire(EvenementsStructures, territoriaux=True)
    evenements.inscrire(EvenementsSimulateur, territoriaux=False)
    evenements.inscrire(EvenementsDemandes, territoriaux=True)
    evenements.inscrire(EvenementsGuide, territoriaux=False)
    evenements.inscrire(EvenementsFamilles, territoriaux=True)


def _register_admins_across_apps():
    """After every app's admin module is loaded (autodiscover): the admin pages made of two apps,
    registered once here rather than by one admin unregistering another's."""
    from django.contrib import admin

    from habilitations.admin import replace_library_admins
    from linf.admin import StructureAdminWithGuichet
    from structures.models import Structure

    admin.site.register(Structure, StructureAdminWithGuichet)
    replace_library_admins(admin.site)


class MonenfantAdminConfig(AdminConfig):
    default_site = "backoffice.admin.AdministrationSite"

    def ready(self):
        # Every text field of every form, ours, the admin's and the libraries', refuses control
        # characters: set before the admin modules (and their forms) are imported below.
        from django import forms

        from monenfant.validators import NoControlCharacters

        forms.CharField.default_validators = [NoControlCharacters()]
        super().ready()
        _register_admins_across_apps()
        from monenfant import logs

        logs.install()
        # The glue: the simulator stays alone, the usage counters (compteurs) hear of its results.
        _register_usage_events()
        from simulateur.signals import simulation_faite

        simulation_faite.connect(_count_simulation, dispatch_uid="monenfant.count_simulation")
        # And structures' pages name who answers online for a commune: linf's routing rule.
        from linf.selectors import linfs_serving
        from structures.selectors import plug_linfs_serving

        plug_linfs_serving(linfs_serving)
        # And the search puts a cost beside each result for a family's need: the simulator composed with
        # the fiches' prices (familles), which structures cannot import.
        from familles.couts import couts_des_fiches
        from structures.selectors import plug_couts

        plug_couts(couts_des_fiches)
