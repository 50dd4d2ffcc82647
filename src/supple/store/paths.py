"""Where supple keeps its files: a flag beats the environment beats the platform."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

APP = "supple"


class Dirs(NamedTuple):
    data: Path
    config: Path
    cache: Path

    @property
    def user_routines(self) -> Path:
        return self.config / "routines"

    @property
    def user_themes(self) -> Path:
        return self.config / "themes"

    @property
    def config_file(self) -> Path:
        return self.config / "config.toml"


def resolve_dirs(data: str | None = None, config: str | None = None, cache: str | None = None) -> Dirs:
    def pick(flag: str | None, env: str, default: str) -> Path:
        value = flag or os.environ.get(env)
        if value:
            return Path(value).expanduser()
        import platformdirs  # 7 ms, only when a folder is not given: commands answer within 0.30x a first frame

        return Path(getattr(platformdirs, default)(APP))

    return Dirs(data=pick(data, "SUPPLE_DATA_DIR", "user_data_dir"),
                config=pick(config, "SUPPLE_CONFIG_DIR", "user_config_dir"),
                cache=pick(cache, "SUPPLE_CACHE_DIR", "user_cache_dir"))


def package_data(kind: str) -> Path:
    """The folder of built-in `routines` or `themes`: `supple/data/` when installed, else the
    repository root of a source checkout run from `src/`."""
    package = Path(__file__).resolve().parent.parent
    shipped = package / "data" / kind
    return shipped if shipped.is_dir() else package.parent.parent / kind
