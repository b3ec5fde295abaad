#!/usr/bin/env python3
"""Writes the PNG members of the bad-image corpus (standard library only, deterministic).

truncated.jpg is cut from a JPEG that SkiaSharp encoded; see README.md.
"""
import struct
import zlib


def chunk(kind, payload):
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))


def png(width, height, pixel):
    """An 8-bit RGB PNG where pixel(x, y) gives (r, g, b)."""
    rows = b"".join(
        b"\x00" + bytes(c for x in range(width) for c in pixel(x, y)) for y in range(height)
    )
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def gradient(x, y):
    return (x * 7 % 256, y * 5 % 256, (x + y) * 3 % 256)


def write(name, data):
    with open(name, "wb") as f:
        f.write(data)


good = png(64, 64, gradient)
write("truncated.png", good[: len(good) // 2])
write("empty.png", b"")
write("not-an-image.png", b"This is a text file that only pretends to be a PNG image.\n")
# An A|B pair must split into two equal halves; 65 columns cannot.
write("odd-width.png", png(65, 32, gradient))
# A valid A|B pair of 12x12 halves: smaller than any crop the tests ask for.
write("too-small.png", png(24, 12, gradient))
# A correct header (valid CRC) declaring 100000 x 100000 pixels, with one tiny IDAT behind it:
# decoding it would need 40 GB, so it must be refused from the header alone.
huge_ihdr = struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)
write("huge-header.png", b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", huge_ihdr)
      + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b""))
