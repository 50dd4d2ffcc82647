"""The full-screen app: the only part of supple that imports Textual."""
