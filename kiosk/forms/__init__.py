"""Paper for residents: application forms (blank or pre-filled), service-guide print-outs and receipts.

Form templates are data files in kiosk/forms/templates/; everything is rendered by reportlab to A4 PDF
with an embedded TrueType Chinese font, so the paper looks the same on every printer.
"""
