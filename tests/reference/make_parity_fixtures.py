#!/usr/bin/python3
"""Makes the fixtures that prove an imported official-layout checkpoint computes what PyTorch
computes with it (tests/BicycleGan.Tests/Checkpoints/PyTorchParityTests.cs).

  /usr/bin/python3 tests/reference/make_parity_fixtures.py

Run with Debian's PyTorch 1.13. The networks are the official default configuration (unet_256
with z at all levels, resnet_256 E, basic_256_multi D and D2 with 2 scales, instance norm,
nz 8, edges2shoes' 1 -> 3 channels) at width 8 instead of 64, so the files stay small while
keeping every official key and every shape rule. Rerunning rewrites identical bytes.
"""
import collections
import io
import json
import os
import pathlib
import pickle
import struct
import sys
import zlib

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bicyclegan_reference as ref  # noqa: E402  (the networks in the official key layout)

OUT = pathlib.Path(__file__).resolve().parents[1] / 'BicycleGan.Tests' / 'Fixtures' / 'parity'
WIDTH, NZ, INPUT_NC, OUTPUT_NC, SIZE = 8, 8, 1, 3, 256
SEED = 20171204  # the paper's arXiv week; any fixed number would do

# Weight std per network, picked so outputs are informative: G's tanh output has std ~0.4 and
# almost nothing beyond +-0.99, E's mu and logvar have std ~0.7 and ~0.4, D's maps are O(1).
WEIGHT_STD = {'G': 0.08, 'E': 0.15, 'D': 0.05, 'D2': 0.05}


def build_networks():
    torch.manual_seed(SEED)
    nets = collections.OrderedDict()
    nets['G'] = ref.UnetGenerator(INPUT_NC, OUTPUT_NC, NZ, 8, WIDTH, 'instance', 'relu', 'basic',
                                  'all', use_dropout=True)
    nets['E'] = ref.ResnetEncoder(OUTPUT_NC, NZ, WIDTH, 5, 'instance')
    nets['D'] = ref.PatchDiscriminator(OUTPUT_NC, WIDTH, 3, 'instance', num_D=2)
    nets['D2'] = ref.PatchDiscriminator(OUTPUT_NC, WIDTH, 3, 'instance', num_D=2)
    for name, net in nets.items():
        # eval: the official test script samples with dropout off
        ref.init_weights(net, WEIGHT_STD[name]).eval()
    return nets

# -----------------------------------------------------------------------------
# the input pair: a made-up "shoe" in colour (B) and its edge drawing (A), side by side


def make_pair():
    """Returns (256, 512, 3) uint8: A | B, A grey (R = G = B) dark lines on white."""
    y, x = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64) / SIZE
    # B: white background, a two-tone blob with a sole and a lace stripe, smooth shading
    body = ((x - 0.5) / 0.38) ** 2 + ((y - 0.55) / 0.25) ** 2 < 1
    sole = body & (y > 0.68)
    lace = body & (np.abs(x - 0.45 + 0.3 * (y - 0.5)) < 0.03)
    shade = 0.6 + 0.4 * np.cos(6 * x) * np.sin(5 * y)
    b = np.ones((SIZE, SIZE, 3))
    b[body] = np.stack([0.8 * shade, 0.25 + 0.2 * shade, 0.2 + 0.5 * x], -1)[body]
    b[sole] = [0.15, 0.1, 0.1]
    b[lace] = [0.95, 0.9, 0.3]
    b = np.round(b * 255).clip(0, 255).astype(np.uint8)

    # A: gradient magnitude of B's luma, drawn as grey-level lines (not just 0 and 255)
    luma = b.astype(np.float64) @ [0.299, 0.587, 0.114]
    gy, gx = np.gradient(luma)
    a = np.round(255 - np.clip(2.5 * np.hypot(gx, gy), 0, 255)).astype(np.uint8)
    return np.concatenate([np.repeat(a[:, :, None], 3, 2), b], axis=1)


def png_bytes(rgb):
    """A plain 8-bit RGB PNG, filter 0 on every row; written by hand so the bytes are fixed."""
    def chunk(kind, data):
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', crc)
    h, w, _ = rgb.shape
    raw = b''.join(b'\x00' + rgb[r].tobytes() for r in range(h))
    header = struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) + chunk(b'IDAT', zlib.compress(raw, 9))
            + chunk(b'IEND', b''))


def to_unit(pixels):
    # (H, W, C) uint8 -> (1, C, H, W) float32, b / 127.5 - 1 in float32 as ImageCodec maps it
    t = pixels.astype(np.float32) / np.float32(127.5) - np.float32(1)
    return torch.from_numpy(np.ascontiguousarray(t.transpose(2, 0, 1)))[None]


def read_back(png):
    """What the networks see: the PNG decoded again, split, A converted to luma as PIL does."""
    ab = Image.open(io.BytesIO(png))
    ab.load()
    a = np.asarray(ab.crop((0, 0, SIZE, SIZE)).convert('L'))[:, :, None]
    b = np.asarray(ab.crop((SIZE, 0, 2 * SIZE, SIZE)).convert('RGB'))
    return to_unit(a), to_unit(b)

# -----------------------------------------------------------------------------
# quantisation to 8 bits


def codec_bytes(y):
    """ImageCodec.ToByte: round((v + 1) * 127.5) half away from zero, clamped; float32 math."""
    t = (y.numpy().astype(np.float32) + np.float32(1)) * np.float32(127.5)
    t = t.astype(np.float64)  # exact; floor and the .5 test are then exact too
    rounded = np.floor(t) + (t - np.floor(t) >= 0.5)
    return torch.from_numpy(np.clip(rounded, 0, 255).astype(np.uint8))


def official_bytes(y):
    """The official util.tensor2im: (v + 1) / 2 * 255 in float32, truncated by astype(uint8)."""
    t = (y.numpy().astype(np.float32) + 1) / 2.0 * 255.0
    return torch.from_numpy(t.astype(np.uint8))

# -----------------------------------------------------------------------------
# checkpoint files


def with_stale_instance_norm_stats(net):
    """net's state dict plus the running statistics old PyTorch saved for InstanceNorm layers,
    each right after its layer's place, as an official pre-1.6 checkpoint holds them."""
    sd = collections.OrderedDict()
    for name, module in net.named_modules():
        prefix = name + '.' if name else ''
        for p, v in module.named_parameters(recurse=False):
            sd[prefix + p] = v.detach().clone()
        if isinstance(module, torch.nn.InstanceNorm2d):
            sd[prefix + 'running_mean'] = torch.zeros(module.num_features)
            sd[prefix + 'running_var'] = torch.ones(module.num_features)
            sd[prefix + 'num_batches_tracked'] = torch.tensor(0, dtype=torch.int64)
    clean = [k for k in sd if k.rsplit('.', 1)[-1] not in
             ('running_mean', 'running_var', 'num_batches_tracked')]
    assert clean == list(net.state_dict()), 'the stale keys must only be added, in place'
    return sd


def save_legacy(sd, path):
    """torch.save's pre-1.6 format: pickles of the magic number, the protocol version and
    system facts, the state dict (storages by persistent id), the storage keys, then each
    storage as a u64 element count and raw bytes. torch.save keys storages by memory address,
    which changes every run; numbering them in order keeps the bytes fixed."""
    by_address = {t.data_ptr(): (str(i), t) for i, t in enumerate(sd.values())}
    assert all(t.is_contiguous() and t.storage_offset() == 0 and t.numel() ==
               t.storage().size() for t in sd.values()), 'one whole storage per tensor'

    class Pickler(pickle.Pickler):
        def persistent_id(self, obj):
            if not isinstance(obj, torch.storage.TypedStorage):
                return None
            key, t = by_address[obj.data_ptr()]
            kind = getattr(torch, obj.pickle_storage_type())
            return ('storage', kind, key, 'cpu', t.numel(), None)

    facts = dict(protocol_version=1001, little_endian=True,
                 type_sizes=dict(short=2, int=4, long=8))
    with open(path, 'wb') as f:
        for header in (0x1950a86a20f9469cfc6c, 1001, facts):
            pickle.dump(header, f, protocol=2)
        Pickler(f, protocol=2).dump(sd)
        pickle.dump([key for key, _ in by_address.values()], f, protocol=2)
        for _, t in by_address.values():
            f.write(struct.pack('<Q', t.numel()) + t.numpy().tobytes())
    loaded = torch.load(path)
    assert list(loaded) == list(sd) and all(torch.equal(loaded[k], v) for k, v in sd.items())


def save_checkpoints(nets):
    for name, net in nets.items():
        path = OUT / f'latest_net_{name}.pth'
        if name == 'E':
            save_legacy(with_stale_instance_norm_stats(net), path)
        else:
            torch.save(net.state_dict(), path)
        # what an official loader does: strict load after dropping the stale statistics
        sd = torch.load(path)
        sd = {k: v for k, v in sd.items() if not k.endswith(
            ('running_mean', 'running_var', 'num_batches_tracked'))}
        net.load_state_dict(sd, strict=True)

# -----------------------------------------------------------------------------
# safetensors, by hand: u64 LE header length, JSON header, raw little-endian data


def save_safetensors(path, tensors, metadata):
    kinds = {torch.float32: ('F32', '<f4'), torch.uint8: ('U8', 'u1')}
    header, blobs, offset = {'__metadata__': metadata}, [], 0
    for name, t in tensors.items():
        kind, np_type = kinds[t.dtype]
        data = t.contiguous().numpy().astype(np_type).tobytes()
        header[name] = {'dtype': kind, 'shape': list(t.shape),
                        'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * (-len(text) % 8)  # data starts 8-byte aligned
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text + b''.join(blobs))


def describe(name, t):
    # a glance: an output that sits at +-1 or near 0 tests little
    t = t.float()
    print(f'  {name:12s} {str(tuple(t.shape)):18s} mean {t.mean():+.3f} std {t.std():.3f}'
          f' min {t.min():+.3f} max {t.max():+.3f} |v|>0.99 {(t.abs() > 0.99).float().mean():.3f}')


def main():
    torch.set_num_threads(1)  # one reduction order, so reruns give identical bytes
    torch.use_deterministic_algorithms(True)
    OUT.mkdir(parents=True, exist_ok=True)
    nets = build_networks()
    save_checkpoints(nets)

    png = png_bytes(make_pair())
    (OUT / 'edges_pair.png').write_bytes(png)
    real_A, real_B = read_back((OUT / 'edges_pair.png').read_bytes())

    # three codes with four decimals, so z.json reads back as exactly these float32 values
    z_text = np.round(torch.randn(3, NZ, generator=torch.Generator().manual_seed(SEED)).numpy()
                      .astype(np.float64), 4).tolist()
    (OUT / 'z.json').write_text(json.dumps(z_text) + '\n')
    z = torch.tensor(z_text, dtype=torch.float32)

    with torch.no_grad():
        # A tiled once per code: (3, 1, 256, 256) and z (3, 8) -> fake_B (3, 3, 256, 256)
        fake_B = nets['G'](real_A.expand(len(z), -1, -1, -1), z)
        mu, logvar = nets['E'](real_B)
        d_maps, d2_maps = nets['D'](real_B), nets['D2'](real_B)

    expected = collections.OrderedDict(real_A=real_A, real_B=real_B, z=z, fake_B=fake_B,
                                       fake_B_bytes=codec_bytes(fake_B), mu=mu, logvar=logvar)
    for i, m in enumerate(d_maps):
        expected[f'D.{i}'] = m
    for i, m in enumerate(d2_maps):
        expected[f'D2.{i}'] = m
    truncated = official_bytes(fake_B)
    lower = (truncated.int() != expected['fake_B_bytes'].int()).float().mean().item()
    metadata = {
        'torch': torch.__version__, 'generator': 'tests/reference/make_parity_fixtures.py',
        'config': json.dumps(dict(netG='unet_256', where_add='all', netE='resnet_256',
                                  netD='basic_256_multi', num_Ds=2, norm='instance', nz=NZ,
                                  ngf=WIDTH, nef=WIDTH, ndf=WIDTH, input_nc=INPUT_NC,
                                  output_nc=OUTPUT_NC, seed=SEED, weight_std=WEIGHT_STD)),
        'fake_B_bytes': 'round((v + 1) * 127.5) half away from zero, clamped to [0, 255] '
                        '(ImageCodec); the official tensor2im truncates instead',
        'truncation_differs': f'{lower:.4f}',
    }
    save_safetensors(OUT / 'expected.safetensors', expected, metadata)

    print('wrote', OUT)
    for name, t in expected.items():
        describe(name, t)
    # a G that ignored z would let a wrong z path pass
    print(f'  mean |G(A, z1) - G(A, z2)| {(fake_B[0] - fake_B[1]).abs().mean():.3f}')
    print(f'  official truncation gives a byte one lower for {lower:.1%} of the samples\' values')


if __name__ == '__main__':
    main()
