"""Charges for premium delivery through the payments provider."""

import time

import requests

PAYMENTS = "https://api.payments.example.com"


def charge(shop_id: str, cents: int) -> str:
    for attempt in range(3):
        try:
            reply = requests.post(f"{PAYMENTS}/v1/charges", json={"shop": shop_id, "amount": cents}, timeout=10)
            reply.raise_for_status()
            return reply.json()["id"]
        except requests.RequestException:
            if attempt == 2:
                raise
            time.sleep(1)
    raise RuntimeError("unreachable")
