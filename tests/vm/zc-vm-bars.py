#!/usr/bin/env python3
"""Issue 14: checks that a capture (zc-capture's 8-bit RGB PNG, or a binary
PPM: a virtio-gpu screendump or a vkms writeback frame) shows vivid's 75%
colour bars in the right colours, order and places across a row.

usage: zc-vm-bars.py FILE.png|FILE.ppm [ROW_FRACTION]
Reads the row at ROW_FRACTION of the height (default 0.75: below vivid's
text overlay), splits it into runs of one colour, and requires the eight
bars white, yellow, cyan, green, magenta, red, blue, black, each within
TOL levels of 75% (191) or 0, each about an eighth of the row wide and
starting where an eighth of the row starts.
Exit 0 if so, 1 (with what it saw) otherwise."""
import struct
import sys
import zlib

BARS = [("white", (191, 191, 191)), ("yellow", (191, 191, 0)), ("cyan", (0, 191, 191)),
        ("green", (0, 191, 0)), ("magenta", (191, 0, 191)), ("red", (191, 0, 0)),
        ("blue", (0, 0, 191)), ("black", (0, 0, 0))]
TOL = 12


def read_png(path):
    data = open(path, "rb").read()
    pos, idat, w, h = 8, b"", 0, 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            if depth != 8 or ctype != 2:
                sys.exit("not an 8-bit RGB PNG")
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, rows, prev, stride = zlib.decompress(idat), [], bytearray(w * 3), w * 3
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - 3] if i >= 3 else 0
            b = prev[i]
            c = prev[i - 3] if i >= 3 else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, rows


def read_ppm(path):
    data = open(path, "rb").read()
    fields, pos = [], 2
    if data[:2] != b"P6":
        sys.exit("not a binary PPM")
    while len(fields) < 3:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(int(data[pos:end]))
        pos = end
    w, h, maxval = fields
    if maxval != 255:
        sys.exit("not an 8-bit PPM")
    pos += 1
    return w, h, [data[pos + y * w * 3:pos + (y + 1) * w * 3] for y in range(h)]


def nearest(rgb):
    return min(BARS, key=lambda bar: max(abs(x - y) for x, y in zip(rgb, bar[1])))


def main():
    w, h, rows = (read_ppm if sys.argv[1].endswith(".ppm") else read_png)(sys.argv[1])
    frac = float(sys.argv[2]) if len(sys.argv) > 2 else 0.75
    row = rows[min(h - 1, int(h * frac))]
    runs = []  # [name, start, length, worst deviation]
    for x in range(w):
        rgb = tuple(row[x * 3:x * 3 + 3])
        name = nearest(rgb)[0]
        if runs and runs[-1][0] == name:
            runs[-1][2] += 1
        else:
            runs.append([name, x, 1, 0])
    # Edge pixels where two bars meet may be blended: ignore runs of 2 or
    # less, and judge each bar's colour by its middle pixel.
    bars = [r for r in runs if r[2] > 2]
    for r in bars:
        mid = r[1] + r[2] // 2
        r[3] = max(abs(a - b) for a, b in zip(row[mid * 3:mid * 3 + 3], dict(BARS)[r[0]]))
    print("row %d of %dx%d: %s" % (int(h * frac), w, h,
          ", ".join("%s@%d+%d (dev %d)" % tuple(r) for r in bars)))
    ok = [r[0] for r in bars] == [b[0] for b in BARS]
    ok = ok and all(r[3] <= TOL for r in bars)
    ok = ok and all(abs(r[2] - w / 8) <= max(3, w / 100) for r in bars)
    ok = ok and all(abs(r[1] - i * w / 8) <= max(3, w / 100) for i, r in enumerate(bars))
    print("bars: %s" % ("ok" if ok else "WRONG"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
