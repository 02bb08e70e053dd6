"""Child pathways through the system and outcomes after a decision (docs/pathways.md)."""
