"""A repository of every review: one SQLite file with the documents, their pages under a full-text index, the
screening decisions, the coded cases and their evidence (`index`), searched by `search` and browsed in
Datasette (`browse`)."""
