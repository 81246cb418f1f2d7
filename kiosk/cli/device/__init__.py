"""One module per device kind for `kiosk devices probe|test|simulate KIND`.

Each module defines `register(probe, test, simulate)`, which adds its KIND to the three sub-command
groups it supports and sets `handler=<function(args, config, data_dir) -> int>` on each parser.
"""
