"""Screening: which reviews meet the inclusion criteria, with page-cited evidence per criterion."""
