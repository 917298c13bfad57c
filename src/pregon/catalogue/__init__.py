"""The supplier's shop window: description, capabilities, products and services, past public contracts; and the search of suppliers."""
