"""Reading review documents: PDF, Word and text files into per-page text, with a cache by content hash."""
