"""表格打印: choosing a form, blank or pre-filled, and its preview."""
