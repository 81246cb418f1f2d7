"""The journey harness: every resident journey walked with a finger at every supported screen size.

Plain names only (no Qt), so the pytest process can parametrize on them; the walking is driver.py's.
"""

SIZES = ("1280x800", "1920x1080", "1080x1920")
MODES = ("normal", "elder")
# In the order they are walked: the progress query reads the receipt the declaration printed, and the
# idle wipe looks for what every earlier journey typed.
JOURNEYS = ("guide", "forms", "declare", "progress", "help", "technician", "idle")
