#!/usr/bin/python3
"""Makes lighting and optics variants of the ZXing black-box camera photos, for the QR decoding benchmark.

The kiosk frame generator draws codes through a camera model of our own; these variants start from real camera
photos instead (qrcode-1, 640x480 phone photos, and qrcode-3/-4, 240x240 camera crops: 110 codes) and add one
condition each, as a roadside lane meets it:

  shadow       a cast shadow edge (penumbra about a module wide) across the code, 22% of the light behind it
  bright       over-exposure: gain 2.2 and an offset, highlights clipped
  dark         under-exposure: 12% of the light, with read noise
  lowcontrast  18% of the contrast around mid grey (fog, a dim screen)
  spot         a specular hot spot (a lamp or the sun on a glossy pass) saturating part of the code
  blur         defocus (a Gaussian of 0.8-1.6 px per 320 px of frame)
  motion       a motion line of 1.2-2.5% of the frame
  perspective  a homography: one side of the frame shrunk by 15-28% each way (a sheet tilted about one axis)
  jpeg         sensor noise, then JPEG at quality 40

Each folder holds N.png with N.txt (the expected text), as bench-decode reads them. These are derived from public
photos by a seeded script: a development set like the generator's frames, not proof. Use one seed to develop and
another to check.

  kiosk/bin/photo-variants.py OUTDIR SEED [VARIANT...]     (Debian's python3-pil and python3-numpy; CKP_SHARED as bench-decode)
"""
import io
import os
import sys

import numpy as np
from PIL import Image, ImageFilter

here = os.path.dirname(os.path.abspath(__file__))
shared = os.environ.get("CKP_SHARED", os.path.join(here, "..", "..", "..", "shared"))
source = os.path.join(shared, "testdata", "zxing-blackbox")
if len(sys.argv) < 3:
    sys.exit(__doc__)
outdir, seed = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(seed)


def array(im):
    return np.asarray(im).astype(np.float32)


def image(a):
    return Image.fromarray(np.clip(a, 0, 255).round().astype(np.uint8))


def shadow(im):
    a = array(im)
    h, w = a.shape
    y, x = np.mgrid[0:h, 0:w]
    angle = rng.uniform(0, np.pi)
    d = (x - w / 2) * np.cos(angle) + (y - h / 2) * np.sin(angle)
    light = 0.22 + 0.78 / (1 + np.exp(-d / (0.02 * max(h, w))))
    return image(a * light + rng.normal(0, 2, a.shape))


def bright(im):
    return image(array(im) * 2.2 + 60)


def dark(im):
    a = array(im)
    return image(a * 0.12 + rng.normal(0, 1.5, a.shape))


def lowcontrast(im):
    a = array(im)
    return image(110 + (a - 128) * 0.18 + rng.normal(0, 1.5, a.shape))


def spot(im):
    a = array(im)
    h, w = a.shape
    y, x = np.mgrid[0:h, 0:w]
    cx, cy = rng.uniform(0.3, 0.7) * w, rng.uniform(0.3, 0.7) * h
    r = rng.uniform(0.04, 0.09) * max(h, w)
    glow = np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * r * r))
    return image(a + glow * rng.uniform(180, 320))


def blur(im):
    return im.filter(ImageFilter.GaussianBlur(rng.uniform(0.8, 1.6) * max(im.size) / 320))


def motion(im):
    a = array(im)
    length = max(3, int(rng.uniform(0.012, 0.025) * max(im.size)))
    angle = rng.uniform(0, np.pi)
    total = np.zeros_like(a)
    for t in range(length):
        dx = int(round((t - length / 2) * np.cos(angle)))
        dy = int(round((t - length / 2) * np.sin(angle)))
        total += np.roll(np.roll(a, dy, 0), dx, 1)
    return image(total / length)


def perspective(im):
    # A true homography (PIL's QUAD is a bilinear warp, which bends a code): the output's corners come from a source
    # quad with one side shrunk, as a sheet tilted away from the camera about one axis.
    w, h = im.size
    k = rng.uniform(0.15, 0.28)
    dx, dy = k * w, k * h
    out = [(0, 0), (w, 0), (w, h), (0, h)]
    src = [[(dx, dy), (w - dx, dy), (w, h), (0, h)], [(0, 0), (w - dx, dy), (w - dx, h - dy), (0, h)],
           [(0, 0), (w, 0), (w - dx, h - dy), (dx, h - dy)], [(dx, dy), (w, 0), (w, h), (dx, h - dy)]][rng.integers(4)]
    rows, rhs = [], []
    for (x, y), (sx, sy) in zip(out, src):
        rows.append([x, y, 1, 0, 0, 0, -sx * x, -sx * y])
        rhs.append(sx)
        rows.append([0, 0, 0, x, y, 1, -sy * x, -sy * y])
        rhs.append(sy)
    coefficients = np.linalg.solve(np.array(rows, float), np.array(rhs, float))
    background = int(np.median(np.asarray(im)))
    return im.transform((w, h), Image.PERSPECTIVE, tuple(coefficients), Image.BILINEAR, fillcolor=background)


def jpeg(im):
    a = array(im)
    buffer = io.BytesIO()
    image(a + rng.normal(0, 6, a.shape)).save(buffer, "JPEG", quality=40)
    buffer.seek(0)
    return Image.open(buffer).convert("L")


variants = {f.__name__: f for f in (shadow, bright, dark, lowcontrast, spot, blur, motion, perspective, jpeg)}
chosen = sys.argv[3:] or list(variants)
for name in chosen:
    if name not in variants:
        sys.exit(f"photo-variants: no variant {name!r}; the variants are {', '.join(variants)}")
for name in chosen:
    folder_out = os.path.join(outdir, name)
    os.makedirs(folder_out, exist_ok=True)
    n = 0
    for folder in ("qrcode-1", "qrcode-3", "qrcode-4"):
        directory = os.path.join(source, folder)
        for f in sorted(os.listdir(directory)):
            stem, ext = os.path.splitext(f)
            if ext not in (".png", ".jpg") or not os.path.exists(os.path.join(directory, stem + ".txt")):
                continue
            n += 1
            variants[name](Image.open(os.path.join(directory, f)).convert("L")).save(os.path.join(folder_out, f"{n}.png"))
            with open(os.path.join(directory, stem + ".txt"), "rb") as expected:
                with open(os.path.join(folder_out, f"{n}.txt"), "wb") as copy:
                    copy.write(expected.read())
    print(f"{folder_out}: {n} images")
