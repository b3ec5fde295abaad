#!/usr/bin/python3
"""PyTorch twin of `bicyclegan bench`: the same networks, training step and inference, timed the
same way (warm-up calls, then repeated samples that each run for at least --sample-seconds),
so bench/compare.sh can put the two side by side.

The networks are written from REFERENCE.md section 3 at each preset's configuration (z joins
every U-Net encoder level, resnet E, two-scale PatchGAN D, instance norm without affine, no
dropout, xavier-normal init with gain 0.02) and the step follows section 2. Run it with Debian's
PyTorch (/usr/bin/python3); it refuses to time anything unless OpenBLAS is the BLAS in use,
because the reference BLAS would make PyTorch look ~20x slower than it is.
"""
import os

# Like TorchRuntime in the C# library: must be set before libgomp loads with torch.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

# Mirrors src/BicycleGan/Options/Presets.cs; the report checks parameter counts against ours.
PRESETS = {
    "small-64": dict(size=64, ngf=16, nef=16, ndf=16, num_downs=6, e_blocks=4, d_layers=2),
    "official-128": dict(size=128, ngf=64, nef=64, ndf=64, num_downs=7, e_blocks=4, d_layers=2),
    "official-256": dict(size=256, ngf=64, nef=64, ndf=64, num_downs=8, e_blocks=5, d_layers=3),
}
NZ, IN_NC, OUT_NC, NUM_DS = 8, 3, 3, 2
LAMBDA_L1, LAMBDA_KL, LAMBDA_Z = 10.0, 0.01, 0.5
TRAIN_BATCH, SMALL_BATCH, LARGE_BATCH, WARMUP_CALLS = 2, 1, 8, 2


def norm(channels):
    return nn.InstanceNorm2d(channels, affine=False, track_running_stats=False)


def tile(z, x):
    """z (N, nz) viewed as (N, nz, H, W) without a copy, to concatenate with x."""
    return z.view(z.size(0), z.size(1), 1, 1).expand(-1, -1, x.size(2), x.size(3))


class UnetLevel(nn.Module):
    """One U-Net level with z joined to its input; the skip carries the input without z."""

    def __init__(self, input_nc, outer_nc, inner_nc, below, outermost, innermost):
        super().__init__()
        self.outermost = outermost
        self.below = below
        down = [nn.Conv2d(input_nc + NZ, inner_nc, 4, 2, 1)]
        if not outermost:
            down.insert(0, nn.LeakyReLU(0.2))
        if not outermost and not innermost:
            down.append(norm(inner_nc))
        up_in = inner_nc if innermost else 2 * inner_nc
        up = [nn.ReLU(), nn.ConvTranspose2d(up_in, outer_nc, 4, 2, 1)]
        up.append(nn.Tanh() if outermost else norm(outer_nc))
        self.down = nn.Sequential(*down)
        self.up = nn.Sequential(*up)

    def forward(self, x, z):
        inner = self.down(torch.cat([x, tile(z, x)], 1))
        if self.below is not None:
            inner = self.below(inner, z)
        y = self.up(inner)
        return y if self.outermost else torch.cat([y, x], 1)


def unet(c):
    """Widths ngf * min(2^depth, 8) from the outside in; built from the innermost level out."""
    def width(depth):
        return c["ngf"] * min(2 ** depth, 8)

    block = None
    for depth in reversed(range(c["num_downs"])):
        outer = OUT_NC if depth == 0 else width(depth - 1)
        input_nc = IN_NC if depth == 0 else outer
        block = UnetLevel(input_nc, outer, width(depth), block, depth == 0,
                          depth == c["num_downs"] - 1)
    return block


class ResidualBlock(nn.Module):
    """Pre-activation block that halves the size: conv path plus pooled 1x1 shortcut."""

    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Sequential(
            norm(cin), nn.LeakyReLU(0.2), nn.Conv2d(cin, cin, 3, 1, 1),
            norm(cin), nn.LeakyReLU(0.2), nn.Conv2d(cin, cout, 3, 1, 1), nn.AvgPool2d(2, 2))
        self.shortcut = nn.Sequential(nn.AvgPool2d(2, 2), nn.Conv2d(cin, cout, 1, 1, 0))

    def forward(self, x):
        return self.conv(x) + self.shortcut(x)


class ResnetEncoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        nef = c["nef"]
        layers = [nn.Conv2d(OUT_NC, nef, 4, 2, 1)]
        width = nef
        for n in range(1, c["e_blocks"]):
            width = nef * min(4, n + 1)
            layers.append(ResidualBlock(nef * min(4, n), width))
        layers.append(nn.LeakyReLU(0.2))
        self.conv = nn.Sequential(*layers)
        self.fc = nn.Linear(width, NZ)
        self.fc_var = nn.Linear(width, NZ)

    def forward(self, b):
        # A global mean equals the reference's AvgPool2d(8) on its 8x8 map and fits any size.
        features = self.conv(b).mean(dim=(2, 3))
        return self.fc(features), self.fc_var(features)


def patch_scale(ndf, layers):
    seq = [nn.Conv2d(OUT_NC, ndf, 4, 2, 1), nn.LeakyReLU(0.2)]
    width = ndf
    for n in range(1, layers):
        previous, width = width, ndf * min(2 ** n, 8)
        seq += [nn.Conv2d(previous, width, 4, 2, 1), norm(width), nn.LeakyReLU(0.2)]
    last = ndf * min(2 ** layers, 8)
    seq += [nn.Conv2d(width, last, 4, 1, 1), norm(last), nn.LeakyReLU(0.2),
            nn.Conv2d(last, 1, 4, 1, 1)]
    return nn.Sequential(*seq)


class MultiScaleD(nn.Module):
    """Scale i sees the image average-pooled i times, with ndf / 2^i filters."""

    def __init__(self, c):
        super().__init__()
        self.scales = nn.ModuleList(
            patch_scale(int(round(c["ndf"] / 2 ** i)), c["d_layers"]) for i in range(NUM_DS))
        self.pool = nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)

    def forward(self, x):
        maps = []
        for i, scale in enumerate(self.scales):
            maps.append(scale(x))
            if i < len(self.scales) - 1:
                x = self.pool(x)
        return maps


def init_weights(net):
    for m in net.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.xavier_normal_(m.weight, gain=0.02)
            nn.init.zeros_(m.bias)
    return net


def lsgan(maps, real):
    """Sum over scales of the mean squared distance to 1 (real) or 0 (fake)."""
    return sum(F.mse_loss(m, torch.full_like(m, 1.0 if real else 0.0)) for m in maps)


def set_requires_grad(nets, flag):
    for net in nets:
        for p in net.parameters():
            p.requires_grad_(flag)


class Bicycle:
    def __init__(self, c):
        torch.manual_seed(0)
        self.g, self.e = init_weights(unet(c)), init_weights(ResnetEncoder(c))
        self.d, self.d2 = init_weights(MultiScaleD(c)), init_weights(MultiScaleD(c))
        self.nets = {"G": self.g, "E": self.e, "D": self.d, "D2": self.d2}
        self.opt = {k: torch.optim.Adam(n.parameters(), lr=2e-4, betas=(0.5, 0.999))
                    for k, n in self.nets.items()}

    def train_mode(self, flag):
        for net in self.nets.values():
            net.train(flag)

    def step(self, real_a, real_b):
        """One BicycleGAN step (REFERENCE.md section 2); returns the losses as numbers."""
        self.train_mode(True)
        half = real_a.size(0) // 2
        a_enc, b_enc, b_rand = real_a[:half], real_b[:half], real_b[half:]
        mu, logvar = self.e(b_enc)
        z_enc = mu + torch.randn(half, NZ) * torch.exp(0.5 * logvar)
        z_rand = torch.randn(half, NZ)
        fake_enc = self.g(a_enc, z_enc)
        fake_rand = self.g(a_enc, z_rand)
        mu2 = self.e(fake_rand)[0]

        # G and E: D and D2 frozen; z_L1 reaches G through a frozen E.
        set_requires_grad([self.d, self.d2], False)
        self.opt["G"].zero_grad()
        self.opt["E"].zero_grad()
        g_gan = lsgan(self.d(fake_enc), True)
        g_gan2 = lsgan(self.d2(fake_rand), True)
        g_l1 = LAMBDA_L1 * F.l1_loss(fake_enc, b_enc)
        kl = -0.5 * LAMBDA_KL * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        z_l1 = LAMBDA_Z * F.l1_loss(mu2, z_rand)
        losses = [g_gan.item(), g_gan2.item(), g_l1.item(), kl.item(), z_l1.item()]
        (g_gan + g_gan2 + g_l1 + kl).backward(retain_graph=True)
        set_requires_grad([self.e], False)
        z_l1.backward()
        set_requires_grad([self.e], True)
        self.opt["E"].step()
        self.opt["G"].step()

        # D on the encoded branch, D2 on the random one, with the fakes made before G's update.
        set_requires_grad([self.d, self.d2], True)
        for name, d, real, fake in (("D", self.d, b_enc, fake_enc),
                                    ("D2", self.d2, b_rand, fake_rand)):
            self.opt[name].zero_grad()
            loss = lsgan(d(fake.detach()), False) + lsgan(d(real), True)
            losses.append(loss.item())
            loss.backward()
            self.opt[name].step()
        return losses


def seconds_per_call(unit, min_seconds):
    start, calls = time.perf_counter(), 0
    while True:
        unit()
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return elapsed / calls


def spread(samples):
    s = sorted(samples)

    def quantile(q):
        pos = q * (len(s) - 1)
        lo = int(pos)
        hi = min(lo + 1, len(s) - 1)
        return s[lo] + (pos - lo) * (s[hi] - s[lo])

    return {"min": s[0], "q1": quantile(0.25), "q3": quantile(0.75), "max": s[-1], "samples": s}


def timed(what, unit, args, per_second_items=None):
    """Median and spread of seconds per call, or of items per second when items are given."""
    for _ in range(WARMUP_CALLS):
        unit()
    samples = []
    for r in range(args.repeats):
        samples.append(seconds_per_call(unit, args.sample_seconds))
        print(f"pytorch {args.preset}: {what}: sample {r + 1}/{args.repeats} "
              f"{samples[-1] * 1000:.1f} ms", file=sys.stderr)
    if per_second_items is not None:
        samples = [per_second_items / s for s in samples]
    return statistics.median(samples), spread(samples)


def loaded_libraries(*needles):
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "/" in line}
    return sorted(p for p in paths if any(n in os.path.basename(p) for n in needles))


def check_blas(allow_any):
    """Which BLAS and OpenMP runtime this torch really calls; stops unless it is OpenBLAS."""
    a = torch.randn(64, 64)
    (a @ a).sum().item()
    config = torch.__config__.show()
    blas = loaded_libraries("blas")
    info = {
        "config_openmp": "OpenMP" in config,
        "config_blas_info": next((part.split("=")[1] for part in config.replace(",", " ").split()
                                  if part.startswith("BLAS_INFO=")), "unknown"),
        "blas_libraries": blas,
        "openmp_libraries": loaded_libraries("gomp", "iomp", "libomp"),
        "mkldnn": torch.backends.mkldnn.is_available(),
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
    }
    info["openblas"] = any("openblas" in p for p in blas)
    if not info["openblas"] and not allow_any:
        sys.exit("pytorch_step.py: torch is not using OpenBLAS (loaded: "
                 f"{', '.join(blas) or 'no BLAS yet'}), so its times would mislead; install "
                 "libopenblas0-openmp, or pass --allow-any-blas to time it anyway.")
    return info


def run_preset(args):
    c = PRESETS[args.preset]
    size = c["size"]
    model = Bicycle(c)
    real_a = torch.rand(TRAIN_BATCH, IN_NC, size, size) * 2 - 1
    real_b = torch.rand(TRAIN_BATCH, OUT_NC, size, size) * 2 - 1
    result = {"preset": args.preset, "size": size, "threads": torch.get_num_threads(),
              "train_batch": TRAIN_BATCH}
    median, sp = timed("training step", lambda: model.step(real_a, real_b), args)
    result["train_step_s"], result["train_step_s_spread"] = median, sp

    model.train_mode(False)
    with torch.inference_mode():
        for batch, key in ((SMALL_BATCH, "g_images_per_s_b1"), (LARGE_BATCH, "g_images_per_s_b8")):
            a = torch.rand(batch, IN_NC, size, size) * 2 - 1
            z = torch.randn(batch, NZ)
            median, sp = timed(f"G inference, batch {batch}", lambda: model.g(a, z), args, batch)
            result[key], result[key + "_spread"] = median, sp
        b = torch.rand(LARGE_BATCH, OUT_NC, size, size) * 2 - 1
        median, sp = timed(f"E inference, batch {LARGE_BATCH}", lambda: model.e(b), args,
                           LARGE_BATCH)
        result["e_images_per_s"], result["e_images_per_s_spread"] = median, sp

    result["parameters"] = {k: sum(p.numel() for p in n.parameters())
                            for k, n in model.nets.items()}
    result["model"] = dict(c, nz=NZ, num_ds=NUM_DS, norm="instance", where_add="all",
                           upsample="basic", use_dropout=False)
    # ru_maxrss is in kB on Linux.
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


class NeighbourCpu:
    """CPU share other processes took since construction: the machine's busy time (/proc/stat)
    minus this process's own, over all cores and the wall time. The load average cannot tell a
    neighbour's build from our own threads; this can."""

    def __init__(self):
        self.busy, self.own, self.wall = self.machine_busy(), self.own_cpu(), time.perf_counter()

    @staticmethod
    def machine_busy():
        # "cpu user nice system idle iowait irq softirq steal ..."; guest is inside user.
        with open("/proc/stat") as f:
            ticks = [int(v) for v in f.readline().split()[1:9]]
        return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")

    @staticmethod
    def own_cpu():
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    def other_pct(self):
        others = self.machine_busy() - self.busy - (self.own_cpu() - self.own)
        capacity = (time.perf_counter() - self.wall) * os.cpu_count()
        return max(0.0, others) / capacity * 100


def load_average():
    with open("/proc/loadavg") as f:
        return [float(v) for v in f.read().split()[:3]]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", required=True, choices=sorted(PRESETS))
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sample-seconds", type=float, default=1.0)
    parser.add_argument("--allow-any-blas", action="store_true")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.repeats < 1 or args.threads < 1:
        parser.error("--repeats and --threads must be at least 1")

    torch.set_num_threads(args.threads)
    load_start = load_average()
    blas = check_blas(args.allow_any_blas)
    print(f"pytorch {args.preset}: torch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"BLAS {', '.join(blas['blas_libraries'])}", file=sys.stderr)
    neighbours = NeighbourCpu()
    preset = run_preset(args)
    other_cpu = neighbours.other_pct()
    preset["other_cpu_pct"] = other_cpu
    report = {
        "tool": "bench/pytorch_step.py",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "threads": torch.get_num_threads(),
        "repeats": args.repeats,
        "sample_seconds": args.sample_seconds,
        "torch": torch.__version__,
        "python": platform.python_version(),
        "backend": blas,
        "load_average_start": load_start,
        "load_average_end": load_average(),
        "other_cpu_pct": other_cpu,
        "presets": {args.preset: preset},
    }
    tmp = args.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    os.replace(tmp, args.out)
    print(f"Wrote {os.path.abspath(args.out)}", file=sys.stderr)


if __name__ == "__main__":
    main()
