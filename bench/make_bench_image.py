#!/usr/bin/env python3
"""Writes the mirror benchmark's image as an OCI image layout: an index with one image per
platform, each of LAYERS incompressible layers (uncompressed tars of random bytes) of LAYER_MIB
MiB, so that no transport can win by compressing. Usage:
  make_bench_image.py OUT_DIR [--layers 10] [--layer-mib 20.1] [--platforms linux/amd64,linux/arm64]
"""
import argparse
import hashlib
import io
import json
import os
import tarfile


def write_blob(out, data):
    digest = hashlib.sha256(data).hexdigest()
    path = os.path.join(out, "blobs", "sha256", digest)
    with open(path, "wb") as f:
        f.write(data)
    return "sha256:" + digest, len(data)


ELF_MACHINES = {"amd64": 62, "arm64": 183, "s390x": 22, "ppc64le": 21, "riscv64": 243}


def layer_tar(name, size, data=None):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo(name)
        info.size = size if data is None else len(data)
        info.mode = 0o755
        info.mtime = 1700000000
        tar.addfile(info, io.BytesIO(os.urandom(size) if data is None else data))
    return buf.getvalue()


def elf_binary(arch):
    """A 64-bit little-endian ELF header for `arch`, padded: what `rayctl doctor --image` reads."""
    header = bytearray(64)
    header[0:4] = b"\x7fELF"
    header[4], header[5], header[6] = 2, 1, 1
    header[16:18] = (2).to_bytes(2, "little")
    header[18:20] = ELF_MACHINES[arch].to_bytes(2, "little")
    return bytes(header) + bytes(4032)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--layers", type=int, default=10)
    p.add_argument("--layer-mib", type=float, default=20.1)
    p.add_argument("--platforms", default="linux/amd64,linux/arm64")
    args = p.parse_args()
    os.makedirs(os.path.join(args.out, "blobs", "sha256"), exist_ok=True)
    with open(os.path.join(args.out, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    entries = []
    size = int(args.layer_mib * 1024 * 1024)
    for platform in args.platforms.split(","):
        os_name, arch = platform.split("/")[:2]
        layers, diff_ids = [], []
        for i in range(args.layers):
            tar = layer_tar("data/%s-%d.bin" % (arch, i), size)
            digest, n = write_blob(args.out, tar)
            diff_ids.append(digest)
            layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": digest, "size": n})
        # A small top layer with the entrypoint, an ELF binary of the platform's machine.
        tar = layer_tar("data/run", 0, elf_binary(arch))
        digest, n = write_blob(args.out, tar)
        diff_ids.append(digest)
        layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": digest, "size": n})
        config = json.dumps({"architecture": arch, "os": os_name,
                             "config": {"Cmd": ["/data/run"]},
                             "rootfs": {"type": "layers", "diff_ids": diff_ids}}).encode()
        cdigest, csize = write_blob(args.out, config)
        manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                               "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                          "digest": cdigest, "size": csize},
                               "layers": layers}).encode()
        mdigest, msize = write_blob(args.out, manifest)
        entries.append({"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": mdigest,
                        "size": msize, "platform": {"architecture": arch, "os": os_name}})
    index = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                        "manifests": entries}).encode()
    idigest, isize = write_blob(args.out, index)
    with open(os.path.join(args.out, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": [
            {"mediaType": "application/vnd.oci.image.index.v1+json", "digest": idigest, "size": isize,
             "annotations": {"org.opencontainers.image.ref.name": "bench"}}]}, f)
    print(idigest)


if __name__ == "__main__":
    main()
