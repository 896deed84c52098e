"""Thin views of matchmaking: one module per area, each on ``common.views``."""
