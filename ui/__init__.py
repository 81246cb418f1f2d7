"""The touch screens: PySide6 widgets, workers and the theme. The only package that imports Qt."""
