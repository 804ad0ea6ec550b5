"""The guide goes on from school entry to adulthood: five pages (the 6–11 years, adolescence, the CAF's aids by
the child's age, parents' support and separation, disability at every age). Two seeded pages are brought up
to date where their text is still the seeded one (an editor's own text is kept): the supplementary birth leave
of 2026, and the CMG up to 12 years for a parent raising a child alone since September 2025."""

from django.db import migrations

from guide.seed import PAGES, seed_pages

NEW_PAGES = ["enfants-de-6-a-11-ans", "l-adolescence", "les-aides-de-la-caf-selon-l-age-de-l-enfant",
             "etre-parent-se-faire-aider", "le-handicap-de-l-enfant-a-tout-age"]

CHANGES = {
    "devenir-parent": ("""- **Congé de paternité et d'accueil de l'enfant** : 25 jours, en plus des 3 jours du congé de naissance,
  pour le second parent.
""", """- **Congé de paternité et d'accueil de l'enfant** : 25 jours, en plus des 3 jours du congé de naissance,
  pour le second parent.
- **Congé supplémentaire de naissance** : pour un enfant né ou adopté depuis le 1er janvier 2026, chaque
  parent peut ensuite prendre un ou deux mois de plus, indemnisés, en même temps que l'autre parent ou
  l'un après l'autre.
"""),
    "les-aides-et-le-cout": ("""La CAF verse le **complément de libre choix du mode de garde** (CMG), selon vos ressources, le nombre
d'enfants et le mode d'accueil, pour un enfant de moins de 6 ans.
""", """La CAF verse le **complément de libre choix du mode de garde** (CMG), selon vos ressources, le nombre
d'enfants et le mode d'accueil, pour un enfant de moins de 6 ans, ou de moins de 12 ans si vous élevez
seul votre enfant et employez vous-même un assistant maternel ou une garde à domicile.
"""),
}


def update(apps, schema_editor):
    DB = schema_editor.connection.alias if schema_editor else "default"  # noqa: N806
    from structures.text import normalize

    reviewed = {page["slug"]: page["revue_le"] for page in PAGES}
    PageGuide = apps.get_model("guide", "PageGuide")
    for slug, (old, new) in CHANGES.items():
        for page in PageGuide.objects.using(DB).filter(slug=slug):
            if old not in page.corps or new in page.corps:  # an editor's text, or already up to date
                continue
            page.corps = page.corps.replace(old, new)
            page.texte_normalise = normalize(f"{page.titre} {page.chapo} {page.corps}")
            page.revue_le = reviewed[slug]
            page.save(update_fields=["corps", "texte_normalise", "revue_le", "mis_a_jour_le"])
    seed_pages(apps, DB, slugs=NEW_PAGES)


class Migration(migrations.Migration):
    dependencies = [("guide", "0008_revue_le")]
    operations = [migrations.RunPython(update, migrations.RunPython.noop)]
