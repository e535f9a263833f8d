"""Coded reviews for other software: a REFI-QDA project for QDA programs."""
