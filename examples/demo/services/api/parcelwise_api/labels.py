"""Shipping labels, stored as PDFs in S3."""

import boto3

s3 = boto3.client("s3")


def store_label(parcel_id: str, pdf: bytes) -> str:
    key = f"labels/{parcel_id}.pdf"
    s3.put_object(Bucket="parcelwise-labels", Key=key, Body=pdf, ContentType="application/pdf")
    return key
