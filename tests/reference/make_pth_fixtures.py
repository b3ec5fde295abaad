#!/usr/bin/python3
"""Makes the small .pth fixtures that the Checkpoints tests read.

Run with Debian's PyTorch 1.13 (/usr/bin/python3). The files are committed, so the tests
need no Python; rerun this only to change them. Values are small integers or binary
fractions so that every reader must reproduce them exactly, not approximately.
"""
import collections
import json
import os
import pathlib
import pickle
import subprocess
import sys

import torch

OUT = pathlib.Path(__file__).resolve().parents[1] / "BicycleGan.Tests" / "Fixtures" / "Checkpoints"

# The hostile files run `touch` on this path when unpickled by an unsafe loader; the tests
# assert that it never appears. Fixed, so that the committed files and the tests agree.
PWNED_MARKER = "/tmp/bicyclegan-pwned-7c41d9e2"


def tiny_state_dict():
    """Float, int64 and a strided view with a storage offset, plus the smaller dtypes."""
    sd = collections.OrderedDict()
    sd["conv.weight"] = (torch.arange(24, dtype=torch.float32) / 8 - 1).reshape(2, 3, 2, 2)
    sd["conv.bias"] = torch.tensor([0.5, -0.25], dtype=torch.float32)
    sd["steps"] = torch.tensor([2**40 + 1, -7, 123], dtype=torch.int64)
    base = torch.arange(24, dtype=torch.float64).reshape(4, 6) / 4
    sd["view"] = base[1:, 2:5].t()  # shape (3, 3), strides (1, 6), storage offset 8
    sd["half"] = torch.tensor([1.5, -2.0, 0.125], dtype=torch.float16)
    sd["int32"] = torch.tensor([[1, -2], [3, 2**31 - 1]], dtype=torch.int32)
    sd["bytes"] = torch.tensor([0, 7, 255], dtype=torch.uint8)
    sd["mask"] = torch.tensor([True, False, True])
    sd["scalar"] = torch.tensor(3.75, dtype=torch.float32)
    sd._metadata = collections.OrderedDict([("", {"version": 1})])
    return sd


def old_instance_norm_state_dict():
    """Shaped like an old official checkpoint: InstanceNorm2d left running statistics behind.

    Keys match a Sequential(Conv2d(3, 4, 3), InstanceNorm2d(4), Linear(2, 3)).
    """
    sd = collections.OrderedDict()
    sd["0.weight"] = (torch.arange(108, dtype=torch.float32) / 64).reshape(4, 3, 3, 3)
    sd["0.bias"] = torch.tensor([1.0, 2.0, 3.0, 4.0])
    sd["1.running_mean"] = torch.zeros(4)
    sd["1.running_var"] = torch.ones(4)
    sd["1.num_batches_tracked"] = torch.tensor(0, dtype=torch.int64)
    sd["2.weight"] = (torch.arange(6, dtype=torch.float32) / 2).reshape(3, 2)
    sd["2.bias"] = torch.tensor([-1.0, 0.0, 1.0])
    # Module.state_dict() attaches this attribute; it pickles as a BUILD on the OrderedDict.
    sd._metadata = collections.OrderedDict([("", {"version": 1}), ("1", {"version": 1})])
    return sd


class Payload:
    """Unpickling this calls os.system: exactly what a safe reader must refuse."""

    def __reduce__(self):
        return (os.system, ("touch " + PWNED_MARKER,))


def expected_values(sd):
    out = collections.OrderedDict()
    for key, t in sd.items():
        dtype = str(t.dtype).replace("torch.", "")
        values = t.flatten().tolist()
        out[key] = {"dtype": dtype, "shape": list(t.shape), "values": values}
    return out


def prove_hostile(path):
    """Loads the file with PyTorch's unsafe loader in a child process: the marker must appear."""
    if os.path.exists(PWNED_MARKER):
        os.remove(PWNED_MARKER)
    code = "import torch,sys; torch.load(sys.argv[1])"
    if path.suffix == ".pkl":
        code = "import pickle,sys; pickle.load(open(sys.argv[1],'rb'))"
    subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True)
    if not os.path.exists(PWNED_MARKER):
        raise SystemExit(f"{path.name} did not run its payload under an unsafe loader")
    os.remove(PWNED_MARKER)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    sd = tiny_state_dict()
    assert sd["view"].storage_offset() == 8 and sd["view"].stride() == (1, 6)
    torch.save(sd, OUT / "tiny_zip.pth")
    torch.save(sd, OUT / "tiny_legacy.pth", _use_new_zipfile_serialization=False)
    (OUT / "tiny_expected.json").write_text(json.dumps(expected_values(sd), indent=1) + "\n")

    old = old_instance_norm_state_dict()
    torch.save(old, OUT / "instance_norm_legacy.pth", _use_new_zipfile_serialization=False)
    (OUT / "instance_norm_expected.json").write_text(
        json.dumps(expected_values(old), indent=1) + "\n")

    evil = collections.OrderedDict()
    evil["weight"] = torch.ones(2)
    evil["bias"] = Payload()
    torch.save(evil, OUT / "hostile_zip.pth")
    torch.save(evil, OUT / "hostile_legacy.pth", _use_new_zipfile_serialization=False)
    # A bare pickle of a tensor would name torch.storage._load_from_bytes first (refused too);
    # this one holds only the payload, so the refusal must be the payload's.
    bare = collections.OrderedDict([("bias", Payload())])
    (OUT / "hostile_raw.pkl").write_bytes(pickle.dumps(bare, protocol=2))
    for name in ("hostile_zip.pth", "hostile_legacy.pth", "hostile_raw.pkl"):
        prove_hostile(OUT / name)

    print("wrote fixtures to", OUT)


if __name__ == "__main__":
    main()
