"""The accessibility declaration says what the audit now covers (every public, professional and
back-office page) and drops the captcha from the non-conformities (it has a French audio version).
Each passage is replaced only where the text still holds it: an editor's changes stay."""

from django.db import migrations

CHANGES = [("- **des tests automatiques** : à chaque version, la suite de tests ouvre les pages principales (accueil,\n  recherche, fiche d'une structure, page pour les parents en recherche d'emploi) dans un vrai\n  navigateur, sur ordinateur et sur téléphone, et y lance l'outil axe-core sur les règles WCAG 2 de\n  niveaux A et AA ; une erreur grave ou critique fait échouer la version ;", "- **des tests automatiques** : à chaque version, la suite de tests ouvre dans un vrai navigateur, sur\n  ordinateur et sur téléphone, chaque page publique (dont chaque étape du formulaire de demande et la\n  page d'erreur), chaque page de l'espace professionnel et chaque page de l'espace d'administration\n  (listes, formulaires d'ajout et de modification, tableaux de bord), et y lance l'outil axe-core sur\n  les règles WCAG 2 de niveaux A et AA ; une erreur grave ou critique fait échouer la version ;"), ("- **L'espace d'administration** (/administration/), réservé aux agents des CAF et de la Caisse nationale\n  des allocations familiales, n'a pas été vérifié : il est construit avec l'interface d'administration\n  de Django et non avec le DSFR (contrastes, structure des tableaux, messages d'erreur).", "- **L'espace d'administration** (/administration/), réservé aux agents des CAF et de la Caisse nationale\n  des allocations familiales, est testé automatiquement mais n'a pas été vérifié manuellement : il est\n  construit avec l'interface d'administration de Django et non avec le DSFR."), ("- **Le contrôle anti-robot** (captcha) des formulaires de demande d'habilitation et de mot de passe\n  oublié, réservés aux professionnels, est une image ; une version audio est proposée.\n", '')]


def update(apps, schema_editor):
    PageLegale = apps.get_model("guide", "PageLegale")
    for page in PageLegale.objects.using(schema_editor.connection.alias).filter(type="accessibilite"):
        corps = page.corps
        for old, new in CHANGES:
            corps = corps.replace(old, new)
        if corps != page.corps:
            page.corps = corps
            page.save(update_fields=["corps"])


class Migration(migrations.Migration):
    dependencies = [("guide", "0005_alter_pageguide_texte_normalise")]
    operations = [migrations.RunPython(update, migrations.RunPython.noop)]
