"""What lies under the simulated document camera: the harness swaps the picture it plays.

The simulated camera (drivers/camera/simulated.py) plays an image file and reads it again every two
seconds of frames, so replacing the file is laying another sheet on the desk.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any


def lay_page(desk: Path) -> None:
    """A sheet of paper lying still under the document camera, as the camera would see it."""
    from drivers.camera.synthetic import SceneSpec, render

    scene = render(SceneSpec(angle_deg=6.0, tilt_x_deg=4.0, tilt_y_deg=-3.0, page_height_frac=0.78, seed=7))
    put_on_desk(scene.image, desk)


def put_on_desk(image: Any, desk: Path) -> None:
    """Replaces what the simulated camera sees (it re-reads its picture every two seconds of frames);
    atomically, so it never reads half a file."""
    import cv2

    partial = desk.with_suffix(".part.png")
    cv2.imwrite(str(partial), image)
    os.replace(partial, desk)


def printout(pdf: Path, desk: Path) -> Any:
    """The first page the simulated printer wrote, as the camera sees it lying flat on the desk."""
    import cv2
    import numpy as np

    stem = desk.with_name("printout")
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-singlefile", "-f", "1", "-l", "1", str(pdf), str(stem)],
                   check=True, timeout=60)
    page = cv2.imread(str(stem.with_suffix(".png")), cv2.IMREAD_COLOR)
    desk_image = np.full((1080, 1920, 3), 96, dtype=np.uint8)
    scale = 1040 / page.shape[0]
    page = cv2.resize(page, (round(page.shape[1] * scale), 1040), interpolation=cv2.INTER_AREA)
    top, left = 20, (1920 - page.shape[1]) // 2
    desk_image[top:top + page.shape[0], left:left + page.shape[1]] = page
    return desk_image
