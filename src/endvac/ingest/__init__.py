"""Ingest: read a delivery, check every row, load it atomically, quarantine the rest."""
