"""JSON text any parser reads and no terminal obeys.

`json.dumps` writes Infinity and NaN (not JSON) for non-finite floats, and, with
`ensure_ascii` off, DEL and the C1 controls raw (some terminals obey U+009B as an escape
sequence). Every JSON the product prints or writes goes through `strict_json`: a non-finite
value (only an older store can hold one: input refuses them) becomes null, and those
characters are escaped.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

_RAW_CONTROLS = re.compile("[\x7f-\x9f]")


def strict_json(data: Any, indent: int | None = None, *, sort_keys: bool = False) -> str:
    try:
        text = json.dumps(data, ensure_ascii=False, indent=indent, allow_nan=False, sort_keys=sort_keys)
    except ValueError:  # a non-finite float somewhere: rare, so only then walk the data
        text = json.dumps(_finite(data), ensure_ascii=False, indent=indent, allow_nan=False, sort_keys=sort_keys)
    return _RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value
