"""The checkout service's call to the inventory service, retried with exponential backoff and jitter."""

import random
import time

import requests
from tenacity import retry, stop_after_attempt, wait_random_exponential

INVENTORY = "http://inventory:8080"


def reserve(sku: str, quantity: int) -> dict:
    for attempt in range(5):
        try:
            response = requests.post(f"{INVENTORY}/reservations", json={"sku": sku, "qty": quantity}, timeout=2)
            response.raise_for_status()
            return response.json()
        except requests.RequestException:
            if attempt == 4:
                raise
            time.sleep(min(10, 0.2 * 2 ** attempt) + random.uniform(0, 0.1))
    raise RuntimeError("unreachable")


@retry(wait=wait_random_exponential(multiplier=0.5, max=20), stop=stop_after_attempt(4))
def release(reservation_id: str) -> None:
    requests.delete(f"{INVENTORY}/reservations/{reservation_id}", timeout=2).raise_for_status()


def notify_all(order_ids: list[str]) -> None:
    for order_id in order_ids:  # a list processed once each, not a retry
        try:
            requests.post(f"http://notifier:8080/orders/{order_id}", timeout=2)
        except requests.RequestException:
            continue
