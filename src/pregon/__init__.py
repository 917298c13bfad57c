"""Pregón: open e-procurement for the Americas."""
