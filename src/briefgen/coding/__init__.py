"""Coding: a codebook's themes, codes and case features applied to each included review, with evidence."""
