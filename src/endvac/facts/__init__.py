"""Fact views: what the loaded deliveries say now, computed at query time."""
