"""Django's is_staff follows the roles, wherever a role is granted or taken back: the back office,
/pro/, the habilitation services, imports, commands and the shell. Connected in HabilitationsConfig.ready."""

from django.db.models.signals import post_delete, post_save

from .models import Affectation, User


def _sync_staff(sender, instance: Affectation, raw=False, origin=None, **kwargs):
    if raw:
        return  # loading fixtures: the rows say what they say
    if isinstance(origin, User) and origin.pk == instance.user_id:
        return  # the person is being deleted with their roles
    user = User.objects.filter(pk=instance.user_id).first()
    if user is not None:
        user.sync_staff()


def connect():
    post_save.connect(_sync_staff, sender=Affectation, dispatch_uid="habilitations_affectation_staff_saved")
    post_delete.connect(_sync_staff, sender=Affectation, dispatch_uid="habilitations_affectation_staff_deleted")
