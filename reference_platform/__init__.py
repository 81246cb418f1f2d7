"""A runnable stand-in for the provincial platform, for development and tests only (not shipped on terminals)."""
