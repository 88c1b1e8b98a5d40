"""Protocol conformance checked by a client no one here wrote: Schemathesis, every check, live server."""
import shutil
import subprocess
import sys

from tests.service.live import running_server

BUDGET_SECONDS = 60  # Schemathesis repeats fuzzing until its time budget is spent


def test_schemathesis_finds_nothing(tiny_model_dir, tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    shutil.copytree(tiny_model_dir, models / tiny_model_dir.name)
    env = {"CLAIMLENS_ADMIN_KEY": "adm", "CLAIMLENS_LOG_LEVEL": "warning"}
    with running_server(models, tmp_path / "server.log", env=env) as server:
        run = subprocess.run(
            [sys.executable, "-c", "from schemathesis.cli import schemathesis; schemathesis()", "run",
             server.base + "/openapi.json", "--checks", "all", "-H", "X-API-Key: adm",
             "--max-time", str(BUDGET_SECONDS),
             "--request-timeout", "60",  # an admin reload loads and warms a whole model
             "--generation-database", "none", "--no-color"],
            cwd=tmp_path, capture_output=True, text=True, timeout=BUDGET_SECONDS + 240)
    (tmp_path / "schemathesis.txt").write_text(run.stdout + run.stderr, encoding="utf-8")
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
    assert "No issues found" in run.stdout, run.stdout[-3000:]
