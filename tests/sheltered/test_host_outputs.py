"""`serve HOST` serves every entity's books; `publish HOST` writes one site with a section
per sheltered foundation."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.sheltered.test_consolidate import HOST_FEES, fundledger, make_group


def test_publish_host_has_a_section_per_foundation(tmp_path: Path) -> None:
    host = make_group(tmp_path, {"a": "300.00", "b": "300.00"}, HOST_FEES)
    site = tmp_path / "site"
    result = fundledger("publish", host, "-o", site)
    assert result.returncode == 0, result.stderr
    listing = (site / "foundations.html").read_text(encoding="utf-8")
    assert '<a href="a/index.html">Fondation a</a>' in listing
    assert '<a href="b/index.html">Fondation b</a>' in listing
    for name in ("a", "b"):
        page = (site / name / "en" / "funds" / "zero.html").read_text(encoding="utf-8")
        assert "10,000.00" in page
        assert not (site / name / ".fundledger-site").exists()  # one site, one marker
    home = (site / "en" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../foundations.html">Sheltered foundations</a>' in home
    assert (site / ".fundledger-site").is_file()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_host_serves_every_entity(tmp_path: Path) -> None:
    host = make_group(tmp_path, {"a": "300.00", "b": "300.00"}, HOST_FEES)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "fundledger.cli", "serve", str(host),
                               "--read-only", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        pages = {}
        deadline = time.monotonic() + 120
        for slug in ("fondation-h%C3%B4te", "fondation-a", "fondation-b"):
            url = f"http://127.0.0.1:{port}/{slug}/income_statement/"
            while True:
                try:
                    with urllib.request.urlopen(url, timeout=60) as answer:
                        pages[slug] = answer.status
                    break
                except urllib.error.HTTPError as error:
                    pages[slug] = error.code
                    break
                except (urllib.error.URLError, ConnectionError):
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.5)
        assert pages == {"fondation-h%C3%B4te": 200, "fondation-a": 200, "fondation-b": 200}
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=30)
    assert f"sheltered foundation's books {tmp_path / 'a' / 'main.beancount'}" in err
