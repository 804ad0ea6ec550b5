"""Geographic facts and helpers shared by models, search and imports."""

import math

from django.contrib.gis.geos import Point

# (lon_min, lat_min, lon_max, lat_max) of metropolitan France with Corsica, and of each DROM.
FRANCE_BBOXES = {
    "métropole": (-5.5, 41.2, 9.8, 51.2),
    "Guadeloupe": (-61.9, 15.8, -60.9, 16.6),
    "Martinique": (-61.3, 14.3, -60.7, 14.95),
    "Guyane": (-54.7, 2.0, -51.5, 5.9),
    "La Réunion": (55.1, -21.5, 55.95, -20.8),
    "Mayotte": (44.9, -13.1, 45.4, -12.5),
}

# A place lies within this distance of its commune's point, or within the commune's own extent where larger
# (Commune.distance_max_km): further, the address or the commune is wrong.
MAX_KM_FROM_COMMUNE = 30
EARTH_KM_PER_DEGREE = 111.32
EARTH_RADIUS_KM = 6371.0088  # mean radius of the WGS84 ellipsoid


def is_in_france(point: Point) -> bool:
    return lonlat_in_france(point.x, point.y)


def lonlat_in_france(lon: float, lat: float) -> bool:
    return any(
        lon_min <= lon <= lon_max and lat_min <= lat <= lat_max
        for lon_min, lat_min, lon_max, lat_max in FRANCE_BBOXES.values()
    )


def bbox_around(point: Point, km: float) -> tuple[float, float, float, float]:
    """A lon/lat box that contains the circle of radius km around point (with a margin)."""
    dlat = km / EARTH_KM_PER_DEGREE * 1.01
    dlon = km / (EARTH_KM_PER_DEGREE * max(math.cos(math.radians(point.y)), 0.01)) * 1.01
    return point.x - dlon, point.y - dlat, point.x + dlon, point.y + dlat


def haversine_km(a: Point, b: Point) -> float:
    return haversine_km_lonlat(a.x, a.y, b.x, b.y)


def haversine_km_lonlat(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """The same on plain floats: an import checks 100,000 points without building geometries."""
    lon1, lat1, lon2, lat2 = map(math.radians, (lon1, lat1, lon2, lat2))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
