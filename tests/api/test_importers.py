"""``kb import github|confluence|incidentio`` against recorded API answers (httpx.MockTransport):
no request leaves the process. Credentials come from KB_ variables and reach the right header."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from api.cli import app
from api.commands import importers

RECORDED = Path(__file__).resolve().parents[1] / "data" / "formats-recorded"


def _recorded(name: str) -> Any:
    return json.loads((RECORDED / name).read_text(encoding="utf-8"))


class Recorder:
    """Answers from recorded files by (host, path, query); records every request it saw."""

    def __init__(self, routes: dict[tuple[str, str], Callable[[httpx.Request], httpx.Response]]) -> None:
        self.routes = routes
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        handler = self.routes.get((request.url.host, request.url.path))
        if handler is None:
            return httpx.Response(404, json={"message": "Not Found"})
        return handler(request)


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.setenv("KB_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KB_EMBEDDER", "hashing")
    for name in (
        "KB_GITHUB_TOKEN",
        "KB_CONFLUENCE_URL",
        "KB_CONFLUENCE_USER",
        "KB_CONFLUENCE_TOKEN",
        "KB_INCIDENTIO_TOKEN",
        "KB_GITHUB_API",
        "KB_INCIDENTIO_API",
    ):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


def _use(monkeypatch: pytest.MonkeyPatch, recorder: Recorder) -> None:
    monkeypatch.setattr(importers, "TRANSPORT", httpx.MockTransport(recorder))


def _invoke(runner: CliRunner, *args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["import", *args, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _github() -> Recorder:
    def issues(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("page") == "2":
            return httpx.Response(200, json=_recorded("github-issues-page2.json"))
        assert request.url.params["labels"] == "postmortem" and request.url.params["state"] == "all"
        nxt = "https://api.github.com/repos/example-org/ops/issues?state=all&labels=postmortem&page=2"
        return httpx.Response(
            200, json=_recorded("github-issues-page1.json"), headers={"Link": f'<{nxt}>; rel="next"'}
        )

    def comments(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=_recorded("github-issue-14-comments.json"))

    return Recorder(
        {
            ("api.github.com", "/repos/example-org/ops/issues"): issues,
            ("api.github.com", "/repos/example-org/ops/issues/14/comments"): comments,
        }
    )


def test_github_import_pages_skips_pull_requests_and_reimports_unchanged(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KB_GITHUB_TOKEN", "ghp_recordedtesttoken")
    recorder = _github()
    _use(monkeypatch, recorder)
    saved = tmp_path / "saved"
    data = _invoke(
        runner, "github", "--repo", "example-org/ops", "--label", "postmortem", "--save", str(saved)
    )
    assert data["fetched"] == 2  # the pull request left out
    report = data["reports"][0]
    assert report["source"] == "github:example-org/ops" and report["summary"]["added"] == 2
    assert {f["path"] for f in report["files"]} == {
        "github/example-org-ops/issue-14.json",
        "github/example-org-ops/issue-21.json",
    }
    assert all(r.headers["Authorization"] == "Bearer ghp_recordedtesttoken" for r in recorder.requests)
    saved_issue = json.loads((saved / "github/example-org-ops/issue-14.json").read_text())
    assert "reactions" not in saved_issue and saved_issue["comments"][0]["author"]["login"] == "lea-sre"

    listed = json.loads(runner.invoke(app, ["list", "--json", "--limit", "100"]).stdout)["results"]
    jitter = [r for r in listed if "jitter" in r["statement"].lower()]
    assert jitter and jitter[0]["source"]["path"] == "github/example-org-ops/issue-14.json"
    assert jitter[0]["source"]["section"].endswith("Action items")

    again = _invoke(runner, "github", "--repo", "example-org/ops", "--label", "postmortem")
    assert again["reports"][0]["summary"]["unchanged"] == 2 and again["reports"][0]["summary"]["added"] == 0


def test_confluence_import_reads_export_view_and_filters_by_label(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KB_CONFLUENCE_URL", "https://example.atlassian.net/wiki")
    monkeypatch.setenv("KB_CONFLUENCE_USER", "ops@example.com")
    monkeypatch.setenv("KB_CONFLUENCE_TOKEN", "recorded-api-token")

    def content(request: httpx.Request) -> httpx.Response:
        assert request.url.params["spaceKey"] == "SRE" and "body.export_view" in request.url.params["expand"]
        return httpx.Response(200, json=_recorded("confluence-content.json"))

    recorder = Recorder({("example.atlassian.net", "/wiki/rest/api/content"): content})
    _use(monkeypatch, recorder)
    data = _invoke(runner, "confluence", "--space", "SRE", "--label", "postmortem")
    assert data["fetched"] == 1
    [outcome] = data["reports"][0]["files"]
    assert outcome["path"] == "confluence/sre/2024-04-02-webhook-retries-flooded-the-partner-api-524301.html"
    assert outcome["status"] == "added" and outcome["constraints"] >= 2
    assert recorder.requests[0].headers["Authorization"].startswith("Basic ")
    listed = json.loads(runner.invoke(app, ["list", "--json"]).stdout)["results"]
    backoff = [r for r in listed if "exponential backoff" in r["statement"]]
    assert backoff and backoff[0]["source"]["section"].endswith("Action items")


def test_incidentio_import_follows_the_cursor(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_INCIDENTIO_TOKEN", "inc_recorded")

    def incidents(request: httpx.Request) -> httpx.Response:
        page = (
            "incidentio-incidents-page2.json"
            if request.url.params.get("after")
            else "incidentio-incidents-page1.json"
        )
        return httpx.Response(200, json=_recorded(page))

    recorder = Recorder({("api.incident.io", "/v2/incidents"): incidents})
    _use(monkeypatch, recorder)
    data = _invoke(runner, "incidentio")
    assert data["fetched"] == 1 and len(recorder.requests) == 2
    [outcome] = data["reports"][0]["files"]
    assert outcome["path"] == "incidentio/inc-401.json" and outcome["status"] == "added"
    assert recorder.requests[0].headers["Authorization"] == "Bearer inc_recorded"


@pytest.mark.parametrize(
    ("args", "env", "status", "message"),
    [
        (["github", "--repo", "not a repo"], {}, None, "--repo must be owner/name"),
        (["confluence", "--space", "SRE"], {}, None, "set KB_CONFLUENCE_URL and KB_CONFLUENCE_TOKEN"),
        (["incidentio"], {}, None, "set KB_INCIDENTIO_TOKEN"),
        (["github", "--repo", "example-org/ops"], {}, 401, "refused the credentials (401)"),
        (["github", "--repo", "example-org/missing"], {}, 404, "answered 404"),
    ],
)
def test_import_errors_are_one_clear_line(
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    env: dict[str, str],
    status: int | None,
    message: str,
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    code = status or 500
    _use(
        monkeypatch,
        Recorder({("api.github.com", "/repos/example-org/ops/issues"): lambda r: httpx.Response(code)}),
    )
    result = runner.invoke(app, ["import", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_network_failure_is_reported_not_raised(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    monkeypatch.setattr(importers, "TRANSPORT", httpx.MockTransport(down))
    result = runner.invoke(app, ["import", "github", "--repo", "example-org/ops"])
    assert result.exit_code == 2 and "cannot reach GitHub: ConnectError" in result.output
