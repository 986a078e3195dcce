class Query:
    def __init__(self, sql):
        self.sql = sql

    def exec(self, db):
        return db.run(self.sql)

    def compile(self):
        return self.sql.strip()


class FakeDB:
    def run(self, sql):
        return [sql]


q = Query(" SELECT 1 ")
print(q.exec(FakeDB()), q.compile())
