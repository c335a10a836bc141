"""Altair charts of the analysis and plan tables. Charts take computed frames; they compute
nothing of their own beyond layout."""
