"""DHIS2 dataValueSets as DHIS2 speaks them (Web API /api/dataValueSets, idScheme=code): JSON and CSV in,
JSON and CSV out, periods of every DHIS2 type (`periods.py`), category and attribute option combos
mapped to the card's disaggregations (`models.OptionCombo`), and the answer wrapped in DHIS2's WebMessage
(`webmessage.py`). Import: `imports.py`; export: `exports.py`."""

from yizhan.surveillance.dhis2.exports import export_csv, export_data_value_set
from yizhan.surveillance.dhis2.imports import ATOMIC_MODES, STRATEGIES, import_data_value_set, read_csv

__all__ = ["ATOMIC_MODES", "STRATEGIES", "export_csv", "export_data_value_set", "import_data_value_set", "read_csv"]
