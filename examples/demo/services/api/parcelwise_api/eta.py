"""Delivery-time predictions from the eta-predictor model server."""

import requests

ETA_PREDICTOR = "http://eta-predictor.parcelwise.svc.cluster.local:8000"


def predict(parcel_id: str, features: dict) -> float:
    reply = requests.post(f"{ETA_PREDICTOR}/v1/predict", json={"parcel": parcel_id, "features": features})
    reply.raise_for_status()
    return reply.json()["eta_minutes"]
