"""办事指南: the guide search and a guide's detail."""
