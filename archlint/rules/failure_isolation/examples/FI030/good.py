"""The checkout service's client for the payments API, with a timeout on every call."""

import httpx
import requests
from urllib.request import urlopen

PAYMENTS = "http://payments:8080"
TIMEOUT = (3.05, 10)  # connect, read
session = requests.Session()


def charge(order_id: str, amount: int) -> dict:
    response = requests.post(f"{PAYMENTS}/charges", json={"order": order_id, "amount": amount}, timeout=TIMEOUT)
    response.raise_for_status()
    return response.json()


def refund(charge_id: str) -> None:
    session.post(f"{PAYMENTS}/charges/{charge_id}/refund", timeout=TIMEOUT).raise_for_status()


def exchange_rates() -> bytes:
    with urlopen("https://rates.example.com/eur.json", timeout=5) as reply:
        return reply.read()


def fraud_score(order_id: str) -> float:
    return httpx.get(f"http://fraud:8080/score/{order_id}").json()["score"]  # httpx defaults to 5 seconds
