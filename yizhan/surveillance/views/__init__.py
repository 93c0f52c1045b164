"""The surveillance screens: the CDC dashboard, the review queue, the clinic report form, the signal page."""
