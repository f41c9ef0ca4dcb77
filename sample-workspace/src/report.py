from dataclasses import dataclass


@dataclass
class Sale:
    sku: str
    quantity: int
    unit_price_cents: int


def total_cents(sales: list[Sale]) -> int:
    return sum(s.quantity * s.unit_price_cents for s in sales)


def best_sellers(sales: list[Sale], top: int = 3) -> list[str]:
