"""Resident ID-card reader: the SAM serial protocol (GA/T 467), card decoders, backends and a simulator.

Layout of the package:

- `frames` is the pure frame codec, `status_codes` maps every SW3 result code to a typed error,
  `errors` holds those errors and `messages` the resident-facing texts for their message keys;
- `models`, `decode`, `encode`, `nations` and `id_number` turn the 256-byte text block into card
  objects and back;
- `serial_reader` is the real backend (pyserial), `simulator` speaks the protocol on a pseudo
  terminal, `factory` picks a backend from configuration;
- `photo` is the pluggable interface for the licensed WLT photo decoder.
"""
