"""Names, not codes: what each code is called in English, Portuguese, French, Spanish
and Arabic (docs/names.md)."""

from endvac.names.catalogue import (
    BREAKDOWN_KINDS,
    LANGUAGES,
    STORE_KINDS,
    Catalogue,
    Names,
    catalogues,
    load_names,
    store_names,
)

__all__ = ["BREAKDOWN_KINDS", "LANGUAGES", "STORE_KINDS", "Catalogue", "Names", "catalogues",
           "load_names", "store_names"]
