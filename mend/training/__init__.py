"""Training: one open curriculum for police, health care, schools, workplaces and Mend staff."""
