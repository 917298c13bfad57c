"""Quick quotes (Chile's Compra Ágil, Brazil's electronic dispensa, the US micro-purchase): a need posted in minutes, quoted by eligible suppliers, an order issued on the platform."""
