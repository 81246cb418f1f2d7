"""网上申报: the declaration wizard, its pages, the form and materials steps."""
