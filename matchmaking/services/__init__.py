"""Everything that changes matchmaking data. Views, tasks, the admin and ``seed_demo`` call
these functions; each owns its transaction, checks who may act, validates, then saves."""
