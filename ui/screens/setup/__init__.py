"""The technician's setup screen behind the PIN pad: devices, terminal, sync and logs pages."""
