import re
import unicodedata


def normalize(text: str) -> str:
    """Lowercase ASCII with single spaces, so that "Le Puy", "le-puy" and "LE PUŸ" compare equal."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
    # People type "St Etienne" as often as "Saint-Étienne".
    text = re.sub(r"\bste\b", "sainte", text)
    return re.sub(r"\bst\b", "saint", text)


# "de" and "à" before a commune's name, as French writes them: the article Le and Les contracts
# (du Puy-en-Velay, aux Sorinières), La and L' stay (de La Chaise-Dieu), a vowel or a mute h elides
# (d'Aiguilhe, d'Yssingeaux).
_ELISION = re.compile(r"^[aeiouyhàâäéèêëîïôöùûüœæ]", re.IGNORECASE)


def de_commune(nom: str) -> str:
    nom = (nom or "").strip()
    if nom.startswith("Le "):
        return f"du {nom[3:]}"
    if nom.startswith("Les "):
        return f"des {nom[4:]}"
    if nom.startswith(("La ", "L'", "L’")):
        return f"de {nom}"
    return f"d'{nom}" if _ELISION.match(nom) else f"de {nom}"


def a_commune(nom: str) -> str:
    nom = (nom or "").strip()
    if nom.startswith("Le "):
        return f"au {nom[3:]}"
    if nom.startswith("Les "):
        return f"aux {nom[4:]}"
    return f"à {nom}"
