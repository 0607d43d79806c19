"""The wheel carries the rule files: built, installed in a fresh venv outside the repo, it works."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(os.environ.get("ONOMAST_SKIP_WHEEL") == "1", reason="ONOMAST_SKIP_WHEEL=1")
def test_wheel_installs_and_transliterates_outside_the_repo(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("onomast-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    code = (
        "import names, sys; "
        "assert 'site-packages' in names.__file__, names.__file__; "
        "print(names.transliterate('Святлана Ціханоўская', 'be-passport'))"
    )
    clean_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [str(python), "-c", code], cwd=work, capture_output=True, text=True, env=clean_env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Sviatlana Tsikhanouskaia"
    cli = subprocess.run(
        [str(env_dir / "bin" / "onomast"), "translit", "--scheme", "be-national"],
        input="Ціханоўская\n",
        cwd=work,
        capture_output=True,
        text=True,
        env=clean_env,
    )
    assert cli.returncode == 0, cli.stderr
    assert cli.stdout == "Cichanoŭskaja\n"
