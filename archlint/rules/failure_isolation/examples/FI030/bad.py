"""The checkout service's client for the payments API."""

import requests
from urllib.request import urlopen

PAYMENTS = "http://payments:8080"
session = requests.Session()


def charge(order_id: str, amount: int) -> dict:
    response = requests.post(f"{PAYMENTS}/charges", json={"order": order_id, "amount": amount})  # expect: FI030
    response.raise_for_status()
    return response.json()


def refund(charge_id: str) -> None:
    session.post(f"{PAYMENTS}/charges/{charge_id}/refund").raise_for_status()  # expect: FI030


def exchange_rates() -> bytes:
    with urlopen("https://rates.example.com/eur.json") as reply:  # expect: FI030
        return reply.read()
