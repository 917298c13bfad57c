"""Tenders from draft to the bid deadline: lots, items, documents, questions, amendments."""
