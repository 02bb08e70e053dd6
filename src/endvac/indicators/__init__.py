"""Indicators: the juvenile justice and violence-against-children indicators, as data."""
