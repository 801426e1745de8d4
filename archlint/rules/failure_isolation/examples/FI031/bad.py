"""The checkout service's call to the inventory service, retried by hand."""

import time

import requests

INVENTORY = "http://inventory:8080"


def reserve(sku: str, quantity: int) -> dict:
    for attempt in range(5):  # expect: FI031
        try:
            response = requests.post(f"{INVENTORY}/reservations", json={"sku": sku, "qty": quantity}, timeout=2)
            response.raise_for_status()
            return response.json()
        except requests.RequestException:
            if attempt == 4:
                raise
            time.sleep(1)
    raise RuntimeError("unreachable")


def release(reservation_id: str) -> None:
    while True:  # expect: FI031
        try:
            requests.delete(f"{INVENTORY}/reservations/{reservation_id}", timeout=2).raise_for_status()
            break
        except requests.ConnectionError:
            continue
