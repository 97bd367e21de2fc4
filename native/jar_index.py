#!/usr/bin/env python3
"""Prints the file names inside a jar on a web server without downloading it: reads only
the zip's central directory (the end of the file) with HTTP range requests.

    python3 native/jar_index.py https://repo1.maven.org/maven2/.../cuda-12.6-9.5-1.5.11-linux-x86_64-redist.jar

Standard library only. Used by .ci/gpu-profile to check that JavaCPP's 2 GB CUDA jar holds
every library Sotto loads from it.
"""

import struct
import sys
import urllib.request


def read(url, start, end):
    request = urllib.request.Request(url, headers={"Range": f"bytes={start}-{end}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        if response.status != 206:
            sys.exit(f"{url}: the server ignored the range request (status {response.status})")
        return response.read()


def names(url):
    with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=60) as response:
        size = int(response.headers["Content-Length"])
    tail = read(url, max(0, size - 65536), size - 1)
    end = tail.rfind(b"PK\x05\x06")
    if end < 0:
        sys.exit(f"{url}: no zip end record in the last 64 kB")
    count, cd_size, cd_offset = struct.unpack("<HII", tail[end + 10:end + 20])
    if cd_offset == 0xFFFFFFFF or count == 0xFFFF:   # zip64
        z = tail.rfind(b"PK\x06\x06")
        count, cd_size, cd_offset = struct.unpack("<QQQ", tail[z + 32:z + 56])
    directory = read(url, cd_offset, cd_offset + cd_size - 1)
    pos = 0
    while pos < len(directory):
        name_len, extra_len, comment_len = struct.unpack("<HHH", directory[pos + 28:pos + 34])
        yield directory[pos + 46:pos + 46 + name_len].decode("utf-8")
        pos += 46 + name_len + extra_len + comment_len


if __name__ == "__main__":
    for name in names(sys.argv[1]):
        print(name)
