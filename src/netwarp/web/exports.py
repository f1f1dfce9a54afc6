"""GIF/MP4 export of a session's run, written by :func:`netwarp.outputs.animate.animate`.

That module owns the animation writers; this module only checks the
request, runs the writer off the event loop and streams the file back.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import Mapping
from typing import TYPE_CHECKING

from starlette.background import BackgroundTask
from starlette.responses import FileResponse, JSONResponse, Response

from ..errors import NetwarpError
from ..outputs.animate import KINDS, animate
from .budget import export_estimate

if TYPE_CHECKING:
    from .session import Session

FORMATS = ("gif", "mp4")
MAX_FRAMES = 150


def available() -> list[str]:
    """Export formats the page can offer besides PNG and the Trace file."""
    return list(FORMATS)


async def animation_response(session: Session, query: Mapping[str, str]) -> Response:
    """Write the requested animation of ``session.trace`` to a temp file and send it."""
    kind, fmt = query.get("kind", "training"), query.get("format", "gif")
    if kind not in KINDS or fmt not in FORMATS:
        return JSONResponse({"error": f"kind must be one of {', '.join(KINDS)} and format one of {', '.join(FORMATS)}"}, status_code=400)
    try:
        frames = int(query.get("frames", "60"))
        layer = int(query.get("layer", str(session.layer)))
    except ValueError:
        return JSONResponse({"error": "frames and layer must be whole numbers"}, status_code=400)
    if not 2 <= frames <= MAX_FRAMES:
        return JSONResponse({"error": f"frames must be from 2 to {MAX_FRAMES}"}, status_code=400)
    tr, budget = session.trace, session.budget
    need = export_estimate(len(tr.X_train), tuple(tr.arch.sizes), len(tr), frames, fmt == "gif")
    try:
        # counted before anything is copied or drawn, released when the file is written (or fails)
        budget.reserve_export(session, need)
    except NetwarpError as e:
        return JSONResponse({"error": str(e)}, status_code=503)
    folder = tempfile.mkdtemp(prefix="netwarp-")
    path = os.path.join(folder, f"netwarp-{kind}.{fmt}")
    kwargs = {"kind": kind, "frames": frames, "layer": layer, "snapshot": session.shown_index(), "progress": False}
    try:
        # a frozen copy: the live session keeps appending snapshots while the writer runs
        await asyncio.to_thread(animate, tr.copy(), path, **kwargs)
    except NetwarpError as e:
        shutil.rmtree(folder, ignore_errors=True)
        return JSONResponse({"error": str(e)}, status_code=400)
    finally:
        budget.release_export(session)
    return FileResponse(path, filename=f"netwarp-{kind}.{fmt}", background=BackgroundTask(shutil.rmtree, folder, True))
