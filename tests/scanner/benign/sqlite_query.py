import sqlite3
import sys

conn = sqlite3.connect(sys.argv[1])
cur = conn.execute("SELECT name, COUNT(*) FROM items GROUP BY name")
for name, n in cur.fetchall():
    print(name, n)
conn.close()
