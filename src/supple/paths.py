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


def resolve_dirs(
    data: str | None = None, config: str | None = None, cache: str | None = None
) -> Dirs:
    def pick(flag: str | None, env: str, default) -> Path:
        if flag:
            return Path(flag).expanduser()
        value = os.environ.get(env)
        if value:
            return Path(value).expanduser()
        return Path(default(APP))

    # platformdirs is imported only when a default is needed
    def lazy(name: str):
        def default(app: str) -> str:
            import platformdirs

            return getattr(platformdirs, name)(app)

        return default

    return Dirs(
        data=pick(data, "SUPPLE_DATA_DIR", lazy("user_data_dir")),
        config=pick(config, "SUPPLE_CONFIG_DIR", lazy("user_config_dir")),
        cache=pick(cache, "SUPPLE_CACHE_DIR", lazy("user_cache_dir")),
    )


def package_data(kind: str) -> Path:
    """The folder of built-in `routines` or `themes`.

    An installed package carries them in `supple/data/`; a source checkout
    run from `src/` finds them at the repository root.
    """
    here = Path(__file__).parent
    shipped = here / "data" / kind
    if shipped.is_dir():
        return shipped
    return here.parent.parent / kind
