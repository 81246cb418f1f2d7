"""Citizen card (市民卡) and social security card (社会保障卡) over PC/SC.

The card layouts are data (`profiles/*.toml`), interpreted by `profile_runner`; the real backend is
`pcsc_reader` (pyscard over pcscd), the simulator is `simulated` (the same virtual card that
`virtual_card` serves to pcscd's vpcd reader, answered in-process). `factory.create_reader` picks one
by configuration. Nothing here imports pyscard at module level.
"""
