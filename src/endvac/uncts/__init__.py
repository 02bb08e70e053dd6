"""The juvenile parts of the UN Crime Trends Survey (UN-CTS), filled from the data
(docs/uncts.md)."""

from endvac.uncts.tables import UnctsTables, build_uncts
from endvac.uncts.write import write_uncts

__all__ = ["UnctsTables", "build_uncts", "write_uncts"]
