"""Events and registrations of a mission: see missions/events/models.py."""
