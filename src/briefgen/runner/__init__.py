"""Running a stage over a corpus: each document in a worker process with memory and time limits."""
