"""The analyst's review page: every code and feature of every case with its evidence, to verify and correct."""
