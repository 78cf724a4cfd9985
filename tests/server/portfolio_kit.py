"""portfolio_kit.py — what the portfolio's end-to-end tests share: the
shared data, a small intelligence index built from it with `xsirt db
build`, and CycloneDX SBOMs of PyPI components."""
import json
import os
import subprocess

from harness import XSIRT

SHARED = os.environ.get("XSIRT_SHARED_DATA", os.path.join(os.path.dirname(__file__),
                                                          "../../../shared/data"))


def build_index(data, *sources):
    """DIR/vulns.idx from the shared data (default: PyPI OSV and KEV)."""
    index = os.path.join(data, "vulns.idx")
    sources = sources or (os.path.join("osv", "pypi"), "kev")
    subprocess.run([XSIRT, "db", "build", "-q", "-o", index] +
                   [os.path.join(SHARED, s) for s in sources], check=True, capture_output=True)
    return index


def cdx(components):
    """A CycloneDX 1.5 JSON SBOM of (name, version) PyPI components."""
    comps = [{"type": "library", "bom-ref": "c%d" % i, "name": n, "version": v,
              "purl": "pkg:pypi/%s@%s" % (n, v)} for i, (n, v) in enumerate(components)]
    return json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
                       "components": comps}).encode()


def team_tree(call):
    """Corporate PSIRT, the Site PSIRT below it, and a SOC beside them."""
    _, corp, _ = call("POST", "/api/v1/teams", {"name": "Corporate PSIRT", "kind": "PSIRT"})
    _, site, _ = call("POST", "/api/v1/teams", {"name": "Site PSIRT", "kind": "PSIRT",
                                                "parent": corp["id"]})
    _, soc, _ = call("POST", "/api/v1/teams", {"name": "SOC", "kind": "SOC"})
    return corp, site, soc


def people(call, spec):
    """{name: API token} for users (name, team, role) made members of their team."""
    tokens = {}
    for name, team, role in spec:
        _, u, _ = call("POST", "/api/v1/users", {"username": name, "password": "a long password 1"})
        _, tok, _ = call("POST", "/api/v1/tokens", {"name": "e2e", "user": u["id"]})
        call("PUT", "/api/v1/teams/%d/members/%d" % (team["id"], u["id"]), {"role": role})
        tokens[name] = tok["token"]
    return tokens
