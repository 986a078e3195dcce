from datetime import datetime, timedelta, timezone

now = datetime.now(timezone.utc)
for days in (1, 7, 30):
    print(days, (now - timedelta(days=days)).isoformat())
