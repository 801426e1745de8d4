"""The checkout service's receipts (S3) and order events (SQS), with an explicit retry policy."""

import boto3
from botocore.config import Config

RETRIES = Config(connect_timeout=2, read_timeout=5, retries={"mode": "standard", "max_attempts": 3})
s3 = boto3.client("s3", config=RETRIES)


class OrderEvents:
    def __init__(self, queue_url: str) -> None:
        self.queue_url = queue_url
        session = boto3.Session(region_name="eu-west-1")
        self.sqs = session.client("sqs", config=Config(retries={"mode": "adaptive", "max_attempts": 4}))

    def publish(self, body: str) -> None:
        self.sqs.send_message(QueueUrl=self.queue_url, MessageBody=body)
