"""Geometry of the coverage progress chart, drawn as SVG by a template (no JavaScript, no library)."""

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 20, 16, 44


def _n(value: float) -> str:
    # Coordinates as strings: a French template would otherwise print "12,5" into the SVG.
    return f"{value:g}"


def _y(part: float) -> str:
    return _n(round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - part / 100), 1))


def courbe(points: list[dict], objectif: int) -> dict:
    """Share of the population covered by month (y: 0–100 %), and the target as a dashed line."""
    inner = WIDTH - LEFT - RIGHT
    # x follows the calendar: a month without a snapshot leaves its gap.
    months = [p["mois"].year * 12 + p["mois"].month for p in points]
    span = months[-1] - months[0] if points else 0
    drawn = []
    for month, point in zip(months, points, strict=True):
        x = _n(round(LEFT + (inner * (month - months[0]) / span if span else inner / 2), 1))
        drawn.append({**point, "x": x, "y": _y(point["part"])})
    # Every month is labelled up to 12; beyond, one in n so the labels do not overlap.
    every = max(1, -(-len(points) // 12))
    for i, point in enumerate(drawn):
        point["etiquette"] = i % every == 0 or i == len(drawn) - 1
    return {
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "label_x": LEFT - 6, "right": WIDTH - RIGHT,
        "axis_label_y": HEIGHT - BOTTOM + 18,
        "grille": [{"part": p, "y": _y(p)} for p in (0, 25, 50, 75, 100)],
        "objectif": objectif, "objectif_y": _y(objectif),
        "points": drawn, "polyline": " ".join(f"{p['x']},{p['y']}" for p in drawn),
    }
