"""The checkout service's receipts (S3) and order events (SQS)."""

import boto3
from botocore.config import Config

s3 = boto3.client("s3")  # expect: FI032
TIMEOUTS = Config(connect_timeout=2, read_timeout=5)


class OrderEvents:
    def __init__(self, queue_url: str) -> None:
        self.queue_url = queue_url
        self.sqs = boto3.client("sqs", config=TIMEOUTS)  # expect: FI032

    def publish(self, body: str) -> None:
        self.sqs.send_message(QueueUrl=self.queue_url, MessageBody=body)


def store_receipt(order_id: str, pdf: bytes) -> None:
    s3.put_object(Bucket="receipts", Key=f"{order_id}.pdf", Body=pdf)
