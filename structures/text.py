import re
import unicodedata


def normalize(text: str) -> str:
    """Lowercase ASCII with single spaces, so that "Le Puy", "le-puy" and "LE PUŸ" compare equal."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
    # People type "St Etienne" as often as "Saint-Étienne".
    text = re.sub(r"\bste\b", "sainte", text)
    return re.sub(r"\bst\b", "saint", text)
