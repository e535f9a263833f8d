"""Rendering: the briefing as HTML and as a tagged PDF, from the coded reviews and the analyst's briefing file."""
