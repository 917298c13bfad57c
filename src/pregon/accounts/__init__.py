"""People: users who sign in with their e-mail address, and their roles in organizations."""
