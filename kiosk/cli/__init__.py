"""The `kiosk` command: one module per command group, and the hand-over to the screen layer (launch).

Above every other room of the core: a command may use anything, nothing imports a command.
"""
