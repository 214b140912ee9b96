"""Handle each task event once: python task_events_consumer.py nats://127.0.0.1:4222 10"""

import asyncio
import json
import sys

import nats


async def main(url: str, count: int) -> None:
    client = await nats.connect(url)
    js = client.jetstream()
    # A durable consumer: after a restart it resumes where its acknowledgements stopped.
    events = await js.pull_subscribe("task-events.>", durable="audit-log", stream="TASK_EVENTS")
    seen: set[str] = set()  # delivery is at least once: keep the ids you handled (a table)
    while len(seen) < count:
        for message in await events.fetch(batch=100, timeout=10):
            event = json.loads(message.data)
            if event["id"] not in seen:
                seen.add(event["id"])
                task = event["data"]["task_data"]
                print(event["data"]["event_type"], task["id"], task["title"], flush=True)
            await message.ack()
    await client.close()


asyncio.run(main(sys.argv[1], int(sys.argv[2])))
