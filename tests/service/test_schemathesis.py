"""Protocol conformance checked by a client no one here wrote: Schemathesis, every check, live server."""
import json
import os
import shutil
import subprocess
import sys

from claimlens.feedback.database import Database, default_url
from claimlens.feedback.queue import Candidate, ReviewQueue
from tests.service.live import REPO, running_server

BUDGET_SECONDS = 60  # Schemathesis repeats fuzzing until its time budget is spent
# the review queue the answers go to (schemathesis_hooks.py points POST /v1/review at these items)
REVIEW = [("where is my parcel, it never came", ("not_received",), {"not_received": "never came"}),
          ("thanks, all good", ("other",), {}),
          ("the box was crushed and the screen is cracked", ("damaged_defective",), {"damaged_defective": "cracked"})]


def _queue(models) -> list[str]:
    ReviewQueue(Database(default_url(models))).enqueue([
        Candidate(text, "en", labels, {"not_received": 0.4, "damaged_defective": 0.3}, tuple(
            {"label": label, "start": text.index(words), "end": text.index(words) + len(words), "text": words,
             "weight": 0.5} for label, words in spans.items()),
            "20260101T000000Z-0123abcd", f"r{i}", "labelled.jsonl", 0.1, labels[0]) for i, (text, labels, spans)
        in enumerate(REVIEW)])
    return [text for text, _, _ in REVIEW]


def test_schemathesis_finds_nothing(tiny_model_dir, tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    shutil.copytree(tiny_model_dir, models / tiny_model_dir.name)
    env = {"CLAIMLENS_ADMIN_KEY": "adm", "CLAIMLENS_LOG_LEVEL": "warning"}
    hooks = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.service.schemathesis_hooks",
             "CLAIMLENS_REVIEW_TEXTS": json.dumps(_queue(models)),
             "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    with running_server(models, tmp_path / "server.log", env=env) as server:
        run = subprocess.run(
            [sys.executable, "-c", "from schemathesis.cli import schemathesis; schemathesis()", "run",
             server.base + "/openapi.json", "--checks", "all", "-H", "X-API-Key: adm",
             "--max-time", str(BUDGET_SECONDS),
             "--request-timeout", "60",  # an admin reload loads and warms a whole model
             "--generation-database", "none", "--no-color"],
            cwd=tmp_path, env=hooks, capture_output=True, text=True, timeout=BUDGET_SECONDS + 240)
    (tmp_path / "schemathesis.txt").write_text(run.stdout + run.stderr, encoding="utf-8")
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
    assert "No issues found" in run.stdout, run.stdout[-3000:]
