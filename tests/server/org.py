"""org.py — an organisation to test authorisation against, shared by
security.py and permissions.py: a team tree, users in every role and team
position, and direct SQL on the test database (to play the attacker who
can write the database file).

The tree (names are the positions seen from the team "own"):

    parent
    ├── own            the team that owns the cases
    │   └── child
    └── sibling
    unrelated          (a root of its own)
"""
import os
import sqlite3
import subprocess

from harness import request

POSITIONS = ("own", "parent", "child", "sibling", "unrelated")
ROLES = ("lead", "member", "viewer")
TLPS = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")
PASSWORD = "a long password 1"


def sql(data, database, statement):
    """Runs one statement on the test database, behind the server's back."""
    if database:
        subprocess.run(["psql", database, "-qc", statement], check=True, capture_output=True)
    else:
        con = sqlite3.connect(os.path.join(data, "xsirt.db"))
        con.execute(statement)
        con.commit()
        con.close()


class Org:
    """Builds the tree and users through the API as the administrator."""

    def __init__(self, base, admin):
        self.base, self.admin = base, admin
        self.teams, self.users = {}, {}

    def call(self, method, path, body=None, token=None, **kw):
        return request(self.base, method, path, body, token or self.admin, **kw)

    def team(self, name, parent=None):
        s, t, _ = self.call("POST", "/api/v1/teams", {"name": name, "kind": "PSIRT",
                                                     "parent": self.teams[parent] if parent else None})
        assert s == 201, (s, t)
        self.teams[name] = t["id"]
        return t["id"]

    def user(self, name, role="user", team=None, team_role=None):
        s, u, _ = self.call("POST", "/api/v1/users", {"username": name, "password": PASSWORD, "role": role})
        assert s == 201, (s, u)
        s, tok, _ = self.call("POST", "/api/v1/tokens", {"name": "test", "user": u["id"]})
        assert s == 201, (s, tok)
        if team:
            s, b, _ = self.call("PUT", "/api/v1/teams/%d/members/%d" % (self.teams[team], u["id"]),
                                {"role": team_role})
            assert s == 200, (s, b)
        self.users[name] = (u["id"], tok["token"])
        return self.users[name]

    def tree(self):
        self.team("parent")
        self.team("own", "parent")
        self.team("child", "own")
        self.team("sibling", "parent")
        self.team("unrelated")

    def case(self, title, tlp, team="own", token=None, **extra):
        body = {"title": title, "kind": "vulnerability", "team": self.teams[team], "tlp": tlp}
        body.update(extra)
        s, c, _ = self.call("POST", "/api/v1/cases", body, token)
        assert s == 201, (s, c)
        return c
