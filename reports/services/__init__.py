"""Everything that changes report jobs, report texts and surveys (see each module)."""
