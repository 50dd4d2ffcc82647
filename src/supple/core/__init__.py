"""The rules of stretching in plain Python (no Textual, no files). `model` holds the data types the store
reads and writes; the store may import nothing else from here."""
