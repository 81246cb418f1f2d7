"""One module per screen of the navigator."""
