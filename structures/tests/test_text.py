"""French before a commune's name: the articles Le, La, Les, L' and the elision before a vowel."""

import pytest

from structures.text import a_commune, de_commune


@pytest.mark.parametrize(("nom", "de", "a"), [
    ("Le Puy-en-Velay", "du Puy-en-Velay", "au Puy-en-Velay"),
    ("Les Sorinières", "des Sorinières", "aux Sorinières"),
    ("La Chaise-Dieu", "de La Chaise-Dieu", "à La Chaise-Dieu"),
    ("L'Isle-Jourdain", "de L'Isle-Jourdain", "à L'Isle-Jourdain"),
    ("Aiguilhe", "d'Aiguilhe", "à Aiguilhe"),
    ("Yssingeaux", "d'Yssingeaux", "à Yssingeaux"),
    ("Hasparren", "d'Hasparren", "à Hasparren"),
    ("Éourres", "d'Éourres", "à Éourres"),
    ("Pau", "de Pau", "à Pau"),
    ("Lempdes", "de Lempdes", "à Lempdes"),
    ("Lescar", "de Lescar", "à Lescar"),
])
def test_de_and_a_before_a_commune(nom, de, a):
    assert de_commune(nom) == de and a_commune(nom) == a
