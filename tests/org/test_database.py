"""The org's database file (issue 21): a full disk answers in Okta's error JSON and keeps no change half done, the
file is its owner's alone, a damaged file is refused at start, and the live IDX flows are capped. Every test here
failed before its fix."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mock_okta.hook.settings import CallSettings
from mock_okta.org import Org, OrgSettings, Store
from mock_okta.org.authenticators import EMAIL_AUTHENTICATOR_ID, PASSWORD_AUTHENTICATOR_ID
from mock_okta.org.models import FlowStep, UserStatus
from mock_okta.org.store import StoreCorrupt
from mock_okta.org.system_log import log_event
from mock_okta.org.web import create_app
from mock_okta.serving.thread import ServerThread

TOKEN = "database-token"
API = {"Authorization": f"SSWS {TOKEN}"}
EXE = Path(sys.executable).parent / "mock-okta"
ANN = {"firstName": "Ann", "lastName": "Lee", "email": "ann@example.com", "login": "ann@example.com"}


@pytest.fixture
def on_file(tmp_path: Path) -> Iterator[tuple[Org, httpx.Client]]:
    """An org kept in a file, as `serve --db` keeps it, served over real HTTP on loopback."""
    mock = Org(Store(str(tmp_path / "org.db")), OrgSettings(call=CallSettings(timeout=0.5), api_token=TOKEN))
    with ServerThread(create_app(mock)) as server, httpx.Client(base_url=server.url, timeout=10) as client:
        yield mock, client
    mock.store.close()


def fill_the_disk(store: Store) -> None:
    """The file may not grow any more (SQLite's max_page_count answers exactly as a full disk: SQLITE_FULL,
    "database or disk is full"), and the System Log's last page is filled: the next event needs a page, while a
    new user still fits in the users table's page. That is the order in which a real disk filled up."""
    pages = store._execute("PRAGMA page_count")[0][0]
    store._execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(sqlite3.OperationalError, match="full"):
        for _ in range(1000):
            store.log_event(log_event("system.filler", "Filling the disk", targets=()))


def free_the_disk(store: Store) -> None:
    store._execute("PRAGMA max_page_count = 1073741823")


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def events(mock: Org, event_type: str) -> int:
    return sum(1 for event in mock.store.log_events() if event.event_type == event_type)


# -- row 6: a full disk --------------------------------------------------------------------------------------------
def test_a_full_disk_answers_okta_error_json_and_keeps_no_user_without_its_event(on_file):
    """Issue 21 row 6: a full disk answers 503 E0000010 in Okta's error JSON (not a plain-text 500 and a reset
    connection), and a user whose System Log event could not be written is not kept: the same request succeeds
    once the disk has room, instead of answering 400 "already exists"."""
    mock, client = on_file
    fill_the_disk(mock.store)
    response = client.post("/api/v1/users", params={"activate": "false"}, json={"profile": ANN}, headers=API)
    assert response.status_code == 503 and response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["errorCode"] == body["errorLink"] == "E0000010"
    assert body["errorSummary"] == "Service is in read only mode"
    assert "database or disk is full" in body["errorCauses"][0]["errorSummary"]
    assert mock.store.user("ann@example.com") is None, "the user went with its event"
    assert client.get("/api/v1/users", headers=API).status_code == 200, "reads still answer"

    free_the_disk(mock.store)
    again = client.post("/api/v1/users", params={"activate": "false"}, json={"profile": ANN}, headers=API)
    assert again.status_code == 200, again.text
    assert events(mock, "user.lifecycle.create") == 1


def test_a_sign_up_on_a_full_disk_can_be_sent_again(on_file):
    """Issue 21 row 6, through the sign-up form: the hosted page's registration fails in Okta's error JSON and,
    once the disk has room, the same state handle registers the user (once)."""
    mock, client = on_file
    handle = mock.flow.start()
    assert client.post("/idp/idx/enroll", json={"stateHandle": handle}).status_code == 200
    fill_the_disk(mock.store)
    sign_up = {"stateHandle": handle, "userProfile": {k: v for k, v in ANN.items() if k != "login"}}
    response = client.post("/idp/idx/enroll/new", json=sign_up)
    assert response.status_code == 503 and response.json()["errorCode"] == "E0000010"
    assert mock.store.users() == []

    free_the_disk(mock.store)
    assert client.post("/idp/idx/enroll/new", json=sign_up).status_code == 200
    assert [u.login for u in mock.store.users()] == ["ann@example.com"]
    assert events(mock, "user.lifecycle.create") == 1


def test_other_database_failures_answer_500_e0000009(on_file):
    """Issue 21 row 6: a database failure other than a full disk is Okta's 500 E0000009, in its error JSON."""
    mock, client = on_file
    # A table gone from under the org stands for any failure SQLite reports (a damaged page, an I/O error).
    mock.store._execute("DROP TABLE users")
    response = client.get("/api/v1/users", headers=API)
    assert response.status_code == 500
    body = response.json()
    assert body["errorCode"] == "E0000009" and body["errorSummary"] == "Internal Server Error"
    assert "no such table" in body["errorCauses"][0]["errorSummary"]


def test_a_transaction_keeps_all_of_its_changes_or_none(tmp_path):
    """Issue 21 row 6: `Store.transaction()` groups store calls; an exception leaving the block undoes them all,
    and a transaction opened inside another is undone alone when only its block fails."""
    store = Store(str(tmp_path / "org.db"))
    with pytest.raises(RuntimeError), store.transaction():
        store.create_user({"login": "gone@example.com"}, UserStatus.STAGED)
        raise RuntimeError("the change fails after the user was written")
    assert store.user("gone@example.com") is None

    with store.transaction():
        store.create_user({"login": "kept@example.com"}, UserStatus.STAGED)
        with pytest.raises(RuntimeError), store.transaction():
            store.create_user({"login": "inner@example.com"}, UserStatus.STAGED)
            raise RuntimeError("only the inner change fails")
    assert [u.login for u in store.users()] == ["kept@example.com"]
    store.close()


# -- row 6, the flows' write pairs: each change kept whole or not at all -------------------------------------------
def full_disk_on(monkeypatch: pytest.MonkeyPatch, store: Store, method: str, when: Callable[..., bool]) -> None:
    """The store's `method` fails as on a full disk (SQLITE_FULL) when `when(*its arguments)`: the write after it
    in the same change never happens, and what was written before it must not stay."""
    original = getattr(store, method)

    def failing(*args: Any, **kwargs: Any) -> Any:
        if when(*args, **kwargs):
            error = sqlite3.OperationalError("database or disk is full")
            error.sqlite_errorcode = sqlite3.SQLITE_FULL
            raise error
        return original(*args, **kwargs)

    monkeypatch.setattr(store, method, failing)


def idx(client: httpx.Client, path: str, handle: str, **body: Any) -> httpx.Response:
    return client.post(f"/idp/idx/{path}", json={"stateHandle": handle, **body})


def at_password(mock: Org, client: httpx.Client) -> str:
    """A sign-up with its email verified, at the password step."""
    handle = mock.flow.start()
    idx(client, "enroll", handle)
    idx(client, "enroll/new", handle, userProfile={"firstName": "Ann", "lastName": "Lee", "email": ANN["email"]})
    idx(client, "credential/enroll", handle, authenticator={"id": EMAIL_AUTHENTICATOR_ID})
    code = mock.store.mailbox(ANN["email"])[-1].code
    assert idx(client, "challenge/answer", handle, credentials={"passcode": code}).status_code == 200
    idx(client, "credential/enroll", handle, authenticator={"id": PASSWORD_AUTHENTICATOR_ID})
    return handle


def test_a_sign_up_whose_next_step_cannot_be_written_keeps_no_user(on_file, monkeypatch):
    """Issue 21 row 6, IDX `enroll/new`: the user and the transaction's next step are one change. Before, the user
    stayed when the step failed, and the same form answered "A user with this Email already exists"."""
    mock, client = on_file
    handle = mock.flow.start()
    idx(client, "enroll", handle)
    full_disk_on(monkeypatch, mock.store, "set_flow_step", lambda h, step, **_: step == FlowStep.SELECT_ENROLL)
    sign_up = {"firstName": "Ann", "lastName": "Lee", "email": ANN["email"]}
    assert idx(client, "enroll/new", handle, userProfile=sign_up).status_code == 503
    assert mock.store.users() == [] and events(mock, "user.lifecycle.create") == 0
    monkeypatch.undo()
    assert idx(client, "enroll/new", handle, userProfile=sign_up).status_code == 200
    assert [u.login for u in mock.store.users()] == [ANN["email"]]


def test_a_classic_registration_whose_email_cannot_be_written_keeps_no_user(tmp_path, monkeypatch):
    """Issue 21 row 6, Classic `register`: the user, its activation token and its email are one change."""
    settings = OrgSettings(call=CallSettings(timeout=0.5), api_token=TOKEN, engine="classic")
    mock = Org(Store(str(tmp_path / "org.db")), settings)
    with ServerThread(create_app(mock)) as server, httpx.Client(base_url=server.url, timeout=10) as client:
        url = f"/api/v1/registration/{mock.classic.setting().policy_id}/register"
        body = {"userProfile": {"email": ANN["email"], "password": "Sunny-Day-2026", "firstName": "A", "lastName": "L"}}
        full_disk_on(monkeypatch, mock.store, "send_mail", lambda *_, **__: True)
        assert client.post(url, json=body).status_code == 503
        assert mock.store.users() == [] and events(mock, "user.lifecycle.create") == 0
        monkeypatch.undo()
        assert client.post(url, json=body).status_code == 200
        assert len(mock.store.mailbox(ANN["email"])) == 1
    mock.store.close()


def test_a_password_whose_step_cannot_be_written_is_not_kept(on_file, monkeypatch):
    """Issue 21 row 6, the journey's password: the password, its event, the step, the activation and the signed-in
    end are one change; the same password succeeds once the disk has room."""
    mock, client = on_file
    handle = at_password(mock, client)
    user = mock.store.user(ANN["email"])
    full_disk_on(monkeypatch, mock.store, "new_token", lambda kind, _: kind == "sessionToken")
    password = {"passcode": "Sunny-Day-2026"}
    assert idx(client, "challenge/answer", handle, credentials=password).status_code == 503
    assert mock.store.password_hash(user.id) is None, "no password without the rest of the change"
    assert mock.store.user(user.id).status == UserStatus.PROVISIONED
    assert events(mock, "user.session.start") == 0 and events(mock, "user.lifecycle.activate") == 0
    assert mock.store.flow(handle) is not None, "the transaction is still live"
    monkeypatch.undo()
    done = idx(client, "challenge/answer", handle, credentials=password)
    assert done.status_code == 200 and done.json()["success"]["name"] == "success-redirect"


def test_a_resend_whose_step_cannot_be_written_mails_nothing(on_file, monkeypatch):
    """Issue 21 row 6, the email challenge: the email, its event and the transaction's new code are one change;
    the link mailed before stays good when the resend failed."""
    mock, client = on_file
    handle = mock.flow.start()
    idx(client, "enroll", handle)
    idx(client, "enroll/new", handle, userProfile={"firstName": "Ann", "lastName": "Lee", "email": ANN["email"]})
    idx(client, "credential/enroll", handle, authenticator={"id": EMAIL_AUTHENTICATOR_ID})
    full_disk_on(monkeypatch, mock.store, "set_flow_step", lambda h, step, **kw: "code" in kw.get("data", {}))
    assert idx(client, "challenge/resend", handle).status_code == 503
    assert len(mock.store.mailbox(ANN["email"])) == 1
    assert events(mock, "system.email.send_factor_verify_message") == 1
    link = mock.store.mailbox(ANN["email"])[0].link or ""
    assert mock.store.token_user("emailMagicLink", link.rsplit("token=", 1)[1]) == handle


def test_a_wrong_password_whose_count_cannot_be_written_logs_nothing(on_file, monkeypatch):
    """Issue 21 row 6, sign-in: a wrong password's events and the failure count (and a lock) are one change."""
    mock, client = on_file
    client.post(
        "/api/v1/users", json={"profile": ANN, "credentials": {"password": {"value": "Sunny-Day-2026"}}}, headers=API
    )
    handle = mock.flow.start()
    assert idx(client, "identify", handle, identifier=ANN["login"]).status_code == 200
    full_disk_on(monkeypatch, mock.store, "count_failed_login", lambda *_, **__: True)
    assert idx(client, "challenge/answer", handle, credentials={"passcode": "Wrong-Password-1"}).status_code == 503
    assert events(mock, "user.authentication.verify") == 0 and events(mock, "user.session.start") == 0


# -- row 7: the file's permissions ---------------------------------------------------------------------------------
@pytest.fixture
def lax_umask() -> Iterator[None]:
    """The usual umask (group and others may read new files), whatever the test runner's is."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_db_file_and_its_journal_are_readable_by_their_owner_only(tmp_path, lax_umask):
    """Issue 21 row 7: the file holds hook secrets, OAuth client secrets and hook keys' private keys: it is
    created 0600, and so is the rollback journal SQLite writes beside it during a change."""
    db = tmp_path / "org.db"
    store = Store(str(db))
    assert mode(db) == 0o600
    with store.transaction():
        store.create_user({"login": "ann@example.com"}, UserStatus.STAGED)
        assert mode(Path(f"{db}-journal")) == 0o600
    store.close()


def test_a_db_file_in_wal_mode_keeps_its_wal_and_shm_files_owner_only(tmp_path, lax_umask):
    """Issue 21 row 7: a file someone switched to write-ahead logging gets `-wal` and `-shm` files beside it while
    the org runs; they hold the same rows and are 0600 too."""
    db = tmp_path / "org.db"
    Store(str(db)).close()
    with sqlite3.connect(db) as raw:
        raw.execute("PRAGMA journal_mode = WAL")
    raw.close()
    store = Store(str(db))
    store.create_user({"login": "ann@example.com"}, UserStatus.STAGED)
    assert mode(Path(f"{db}-wal")) == mode(Path(f"{db}-shm")) == 0o600
    store.close()


def test_an_existing_db_file_readable_by_others_is_narrowed_to_its_owner(tmp_path, lax_umask):
    """Issue 21 row 7: a file an earlier version created 0644 holds the same secrets: opening it makes it 0600."""
    db = tmp_path / "org.db"
    Store(str(db)).close()
    db.chmod(0o644)
    Store(str(db)).close()
    assert mode(db) == 0o600


# -- row 9: a damaged file -----------------------------------------------------------------------------------------
def damaged_db(tmp_path: Path) -> Path:
    """A file the store wrote, with its third page (4 KB) overwritten, as a bad sector or a torn copy leaves it."""
    db = tmp_path / "org.db"
    store = Store(str(db))
    page_size = store._execute("PRAGMA page_size")[0][0]
    assert store._execute("PRAGMA page_count")[0][0] > 3
    store.close()
    with db.open("r+b") as file:
        file.seek(2 * page_size)
        file.write(b"\xa5" * 4096)
    return db


def test_a_damaged_db_file_is_refused_at_start_in_one_line(tmp_path):
    """Issue 21 row 9: SQLite's quick check runs as the store opens a file: a damaged page is refused at start
    with one line naming the file, instead of failing the first request that reaches it."""
    db = damaged_db(tmp_path)
    with pytest.raises(StoreCorrupt) as refused:
        Store(str(db))
    assert isinstance(refused.value, sqlite3.DatabaseError), "serve turns it into `mock-okta: error: ...`, exit 2"
    assert str(db) in str(refused.value) and "damaged" in str(refused.value)
    assert "\n" not in str(refused.value)


def test_a_file_that_is_not_a_database_is_refused_and_left_as_it_was(tmp_path, lax_umask):
    """Issue 21 row 9: `--db` naming some other file (a typo, a README) is refused in one line, and its mode is
    not narrowed: only a database this version reads is made its owner's."""
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database, but long enough to have a header's worth of bytes\n" * 4)
    with pytest.raises(StoreCorrupt, match="cannot be read as a database"):
        Store(str(notes))
    assert mode(notes) == 0o644


def test_serve_refuses_a_damaged_db_file_with_exit_2(tmp_path):
    """Issue 21 row 9, as a user sees it: `mock-okta serve --db` on a damaged file stops with one line."""
    db = damaged_db(tmp_path)
    result = subprocess.run(
        [str(EXE), "serve", "--port", "0", "--no-sample-hook", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("mock-okta: error: ") and "is damaged" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# -- row 10: live IDX flows -----------------------------------------------------------------------------------------
def test_live_idx_flows_are_capped_and_the_newest_still_work(on_file):
    """Issue 21 row 10: every `GET /` starts an IDX flow; past the cap the oldest flows go, finished or not, so
    the store stays bounded before they expire, and the newest flows still work."""
    mock, client = on_file
    mock.store.max_flows = 5
    handles = [mock.flow.start() for _ in range(12)]
    live = [h for h in handles if mock.store.flow(h) is not None]
    assert live == handles[-5:]
    assert mock.store._execute("SELECT count(*) FROM idx_flows")[0][0] == 5
    for handle in live:
        assert client.post("/idp/idx/enroll", json={"stateHandle": handle}).status_code == 200
    dropped = client.post("/idp/idx/introspect", json={"stateToken": handles[0]})
    assert dropped.status_code == 401, "a dropped flow answers as an expired one"
