import pytest


@pytest.fixture(autouse=True)
def baremes(request):
    """The barèmes the migration seeds; seeded again when a live-server test has flushed them."""
    if "django_db" not in {m.name for m in request.node.iter_markers()}:
        return
    request.getfixturevalue("_django_db_helper")
    from simulateur.models import Bareme, SourceParametre, TauxEffort
    from simulateur.seed import seed_psu
    from simulateur.seed_cmg import seed_cmg

    seed_psu(Bareme, TauxEffort)
    seed_cmg(Bareme, TauxEffort, SourceParametre)
