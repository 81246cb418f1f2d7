"""Flatbed and feeder scanners through SANE.

Backends: `sane_scanner.SaneScanner` (python-sane over libsane) and `simulated.SimulatedScanner`, which
is the same class speaking to an in-process stand-in for python-sane, so tests exercise the real
backend's option resolution, page loop and status mapping. `factory.open_scanner` picks one by name.
"""
