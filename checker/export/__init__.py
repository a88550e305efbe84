"""Exports of an SOP to other tools' formats (PNML for PM4Py, ProM and other Petri-net tools)."""
