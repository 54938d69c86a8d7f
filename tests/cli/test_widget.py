"""`mock-okta widget install | path` (in-process): the widget where mock-okta finds it when it is used from another
project."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import httpx
import pytest

from mock_okta.org import Org
from mock_okta.org.web import create_app
from mock_okta.org.web.hosted_page import WIDGET_VERSION
from mock_okta.serving.thread import ServerThread

from .helpers import cli


def widget(*args: str, env: dict[str, str | None] | None = None) -> subprocess.CompletedProcess[str]:
    return cli("widget", *args, env=env)


# The widget and its dependencies are 160 MB in 60 packages: npm writes them in 4 to 5 s to a memory file system, 10
# s to this machine's disk. Any folder does for `--dir`; the command and what it installs are the same.
IN_MEMORY = Path("/dev/shm")


@pytest.fixture
def install_dir(tmp_path):
    if not (IN_MEMORY.is_dir() and shutil.disk_usage(IN_MEMORY).free > 1 << 30):
        yield tmp_path
        return
    with tempfile.TemporaryDirectory(dir=IN_MEMORY, prefix="mock-okta-widget-") as folder:
        yield Path(folder)


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")
def test_install_then_serve_from_there(install_dir, monkeypatch):
    # npm's own setting: the pinned version's metadata from npm's cache when it is there (a user's first install
    # fetches it). The command under test, and what it installs, are the same; the run skips registry round trips.
    monkeypatch.setenv("npm_config_prefer_offline", "true")
    installed = widget("install", "--dir", str(install_dir))
    assert installed.returncode == 0, installed.stderr
    dist = install_dir / "node_modules" / "@okta" / "okta-signin-widget" / "dist"
    assert f"export MOCK_OKTA_WIDGET_DIR={dist}" in installed.stdout
    assert f'"version": "{WIDGET_VERSION}"' in (dist.parent / "package.json").read_text()
    monkeypatch.setenv("MOCK_OKTA_WIDGET_DIR", str(dist))
    with ServerThread(create_app(Org())) as server:
        assert httpx.get(server.url + "/").status_code == 200
        assert httpx.get(server.url + "/widget/js/okta-sign-in.min.js").status_code == 200


def test_path_says_when_the_widget_is_missing(tmp_path):
    result = widget("path", env={"MOCK_OKTA_WIDGET_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert result.stdout.strip() == str(tmp_path)
    assert "mock-okta widget install" in result.stderr
