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
