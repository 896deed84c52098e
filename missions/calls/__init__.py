"""Calls for expression of interest of a mission: see missions/calls/models.py."""
