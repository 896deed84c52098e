"""Thin views: check permission, validate a form, call one service, redirect or render.

Split by audience: the public and delegates (``public``), organisers (``planning``), host
contacts (``hosts``) and calendar programs (``feeds``).
"""
