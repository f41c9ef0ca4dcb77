export interface Item {
  sku: string;
  name: string;
  quantity: number;
  unitPriceCents: number;
}

export class Inventory {
  private readonly items = new Map<string, Item>();

  add(item: Item): void {
    const existing = this.items.get(item.sku);
    if (existing) {
      existing.quantity += item.quantity;
      return;
    }
    this.items.set(item.sku, { ...item });
  }

  remove(sku: string, quantity: number): boolean {
    const existing = this.items.get(sku);
    if (!existing || existing.quantity < quantity) return false;
    existing.quantity -= quantity;
    if (existing.quantity === 0) this.items.delete(sku);
    return true;
  }

  totalValueCents(): number {
    let total = 0;
    for (const item of this.items.values()) total += item.quantity * item.unitPriceCents;
    return total;
  }

  lowStock(threshold: number): Item[] {
  }
}
