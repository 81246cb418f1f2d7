"""Printer driver: a pycups backend over cupsd and a simulator that writes PDFs to a folder.

`protocol.Printer` is the interface; `factory.open_printer` picks the backend by configuration.
"""
