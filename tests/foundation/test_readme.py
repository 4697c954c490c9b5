import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _variables_read_by(path: Path) -> set[str]:
    source = path.read_text()
    found = set(
        re.findall(
            r"""(?:environ\.get|env_bool|env_list)\(\s*["']([A-Z_]+)["']""", source
        )
    )
    found |= set(re.findall(r"""environ\[["']([A-Z_]+)["']\]""", source))
    return found


def test_readme_documents_every_environment_variable():
    readme = (ROOT / "README.md").read_text()
    sources = [
        *(ROOT / "platform" / "ketnoi").glob("*.py"),
        ROOT / "infra" / "gunicorn.conf.py",
    ]
    variables = set().union(*(_variables_read_by(path) for path in sources))

    assert "DATABASE_URL" in variables and "SECRET_KEY" in variables
    undocumented = sorted(v for v in variables if f"`{v}`" not in readme)
    assert undocumented == []


def test_readme_gives_the_two_commands():
    readme = (ROOT / "README.md").read_text()

    assert "    uv run ketnoi demo\n" in readme
    assert "    uv run pytest\n" in readme
    assert "uv run pytest" in (ROOT / ".ci" / "run").read_text()
